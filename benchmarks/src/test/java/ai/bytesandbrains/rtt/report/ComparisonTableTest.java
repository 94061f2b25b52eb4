package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTableTest
{
    @Test
    void shouldHaveAColumnAndARatioForEveryBaseline()
    {
        final String table = ComparisonTable.render(Fixtures.runs("run-1.json"));

        assertThat(table).contains("| operation | threads | core | synchronized | core/synchronized | atomicref | "
            + "core/atomicref | jctools | core/jctools | B/op core | B/op synchronized | B/op atomicref | B/op jctools |");
        assertThat(table).contains("| ObserveBenchmark.observeWithChain | 1 | 30.0 ± 0.500 | 20.0 ± 1.50 | 1.50x | "
            + "10.0 ± 0.100 | 3.00x | 25.0 ± 0.200 | 1.20x | 0.0 | 88.0 | - | - |");
    }

    @Test
    void shouldShowMediansOverSeveralRuns()
    {
        final String table = ComparisonTable.render(Fixtures.threeRuns());

        // core 30, 36, 26 -> 30; jctools 25, missing, 20 -> 22.5; core / jctools 1.2, 1.3 -> 1.25
        assertThat(table).contains("| ObserveBenchmark.observeWithChain | 1 | 30.0 | 20.0 | 1.50x | 12.0 | 3.00x | 22.5 | 1.25x |");
    }

    @Test
    void shouldPrintARowWithoutCoreInsteadOfFailing()
    {
        final String table = ComparisonTable.render(Fixtures.runs("run-1.json"));

        assertThat(table).contains("| EstimateBenchmark.estimateTier1Hit | 1 | - | 60.0 ± 2.00 | - | - | - | - | - |");
    }

    @Test
    void shouldLeaveSampleModeRowsToTheTailLatencyTable()
    {
        assertThat(ComparisonTable.render(Fixtures.runs("run-1.json"))).doesNotContain("TailLatencyBenchmark");
    }
}
