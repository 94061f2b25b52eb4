package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TailLatencyTableTest
{
    @Test
    void shouldPrintP50ToMaxPerImplementationAndSide()
    {
        final String table = TailLatencyTable.render(Fixtures.runs("run-1.json"));

        assertThat(table).contains("| side | impl | p50 | p99 | p99.9 | p99.99 | max |");
        assertThat(table).contains("| estimate | core | 70.0 | 1000 | 5000 | 100000 | 2000000 |");
        assertThat(table).contains("| observe | synchronized | 60.0 | 7000 | 130000 | 10000000 | 16000000 |");
    }

    @Test
    void shouldShowAnImplementationThatWasNotRunAsMissing()
    {
        final String table = TailLatencyTable.render(Fixtures.runs("run-1.json"));

        assertThat(table).contains("| estimate | jctools | missing | missing | missing | missing | missing |");
    }

    @Test
    void shouldJudgeCoresEstimateTailAgainstATenthOfSynchronized()
    {
        final String table = TailLatencyTable.render(Fixtures.runs("run-1.json"));

        assertThat(table).contains("| synchronized | p99.9 | <= 0.100x | 0.025x | 0.025x | PASS |");
        assertThat(table).contains("| synchronized | p99.99 | <= 0.100x | 0.200x | 0.200x | **MISS** |");
    }

    @Test
    void shouldSaySoWhenTheBenchmarkWasNotRun()
    {
        assertThat(TailLatencyTable.render(Fixtures.runs("run-2.json"))).startsWith("Tail latency: not run");
    }
}
