package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTableTest
{
    @Test
    void shouldPutEverySectionInOneReport()
    {
        final String report = ResultsTable.render(Fixtures.threeRuns());

        assertThat(report)
            .contains("each score is the median of 3 runs")
            .contains("Speed targets, throughput core / baseline in each of 3 runs; the verdict is on the median")
            .contains("| observe at 100,000 sites vs 100 sites (core alone) | core at 100 sites | cost | <= 2.00x | 2.50x |")
            .contains("Tail latency under oversubscription")
            .contains("Core allocation");
    }

    @Test
    void shouldJudgeTheTargetsOnTheIdRowsAndCheckTheHandleRowsAllocation()
    {
        final String report = ResultsTable.render(Fixtures.runs("handles.json"));

        // core / synchronized is 0.5 by id, 0.64 through handles: the target sees the id row
        assertThat(report).contains(
            "| observe, no chain, 1 thread | synchronized | throughput | >= 1.50x | 0.500x | 0.500x | **MISS** |");
        assertThat(report).contains("- PASS: all 3 core benchmarks below 0.1 B/op");
    }

    @Test
    void shouldReadTheSameSuiteFromSeveralFiles()
    {
        final RunSet runs = Fixtures.threeRuns();

        assertThat(runs.size()).isEqualTo(3);
        assertThat(runs.get(1, "ObserveBenchmark.observeWithChain", Impls.JCTOOLS)).isNull();
        assertThat(runs.median("ObserveBenchmark.observeWithChain", Impls.CORE, JmhResult::score)).isEqualTo(30.0);
    }
}
