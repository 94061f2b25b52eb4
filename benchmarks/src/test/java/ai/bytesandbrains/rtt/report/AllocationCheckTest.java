package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllocationCheckTest
{
    @Test
    void shouldPassWhenEveryCoreThroughputRowIsBelowTheLimit()
    {
        // run 1: observe 0.002 B/op; the sample-mode row's 0.12 B/op is JMH's histograms, not core
        assertThat(AllocationCheck.render(Fixtures.runs("run-1.json"))).contains("- PASS: all 1 core benchmarks below 0.1 B/op");
    }

    @Test
    void shouldMissOnTheWorstRunNotTheMedian()
    {
        // observe: 0.002 in run 1, 0.5 in run 2, not measured in run 3
        assertThat(AllocationCheck.render(Fixtures.threeRuns()))
            .contains("- **ObserveBenchmark.observeWithChain: 0.500 B/op: MISS**")
            .doesNotContain("PASS");
    }

    @Test
    void shouldSayWhenNothingWasMeasured()
    {
        assertThat(AllocationCheck.render(Fixtures.runs("run-3.json"))).contains("not measured (run with -prof gc)");
    }
}
