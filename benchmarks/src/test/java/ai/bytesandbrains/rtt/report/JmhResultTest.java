package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JmhResultTest
{
    @Test
    void shouldReadScoreErrorImplAndBytesPerOp() throws IOException
    {
        final JmhResult core = find(Fixtures.read("run-1.json"), "ObserveBenchmark.observeWithChain", "core");

        assertThat(core.score()).isEqualTo(30.0);
        assertThat(core.error()).isEqualTo(0.5);
        assertThat(core.unit()).isEqualTo("ops/us");
        assertThat(core.bytesPerOp()).isEqualTo(0.002);
        assertThat(core.mode()).isEqualTo("thrpt");
    }

    @Test
    void shouldKeyScaleRowsBySiteCount() throws IOException
    {
        final List<JmhResult> results = Fixtures.read("run-1.json");

        assertThat(results).extracting(JmhResult::rowKey)
            .contains("ScaleBenchmark.observeWithChain (100 sites)", "ScaleBenchmark.observeWithChain (100000 sites)");
    }

    @Test
    void shouldReadEachGroupMemberWithItsOwnPercentiles() throws IOException
    {
        final JmhResult estimate = find(Fixtures.read("run-1.json"), "TailLatencyBenchmark.oversubscribed:estimate", "core");

        assertThat(estimate.mode()).isEqualTo(JmhResult.SAMPLE_MODE);
        assertThat(estimate.percentile(50.0)).isEqualTo(70.0);
        assertThat(estimate.percentile(99.9)).isEqualTo(5000.0);
        assertThat(estimate.percentile(99.99)).isEqualTo(100000.0);
        assertThat(estimate.percentile(100.0)).isEqualTo(2000000.0);
        assertThat(estimate.percentile(99.999)).isNaN(); // not in the file
    }

    @Test
    void shouldNotTakeSampleModesPerPercentileMetricsForGroupMembers() throws IOException
    {
        final List<JmhResult> results = Fixtures.read("run-1.json");

        assertThat(results).extracting(JmhResult::operation)
            .filteredOn(op -> op.startsWith("TailLatencyBenchmark"))
            .containsOnly("TailLatencyBenchmark.oversubscribed", "TailLatencyBenchmark.oversubscribed:estimate",
                "TailLatencyBenchmark.oversubscribed:observe");
        assertThat(results).hasSize(13);
    }

    private static JmhResult find(final List<JmhResult> results, final String rowKey, final String impl)
    {
        return results.stream().filter(r -> r.rowKey().equals(rowKey) && r.impl().equals(impl)).findFirst().orElseThrow();
    }
}
