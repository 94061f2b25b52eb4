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
    void shouldShowTheHandleApiInASectionOfItsOwn()
    {
        final String table = ComparisonTable.render(Fixtures.runs("handles.json"));
        final int section = table.indexOf("Handle API:");

        assertThat(section).as("the handle section follows the id-keyed table").isPositive();
        assertThat(table.substring(0, section)).contains("| ObserveBenchmark.observeNoChain |").doesNotContain("HandleBenchmark");
        // core 16 against 25, 6 and 16
        assertThat(table.substring(section)).contains("| HandleBenchmark.observeNoChain | 1 | 16.0 ± 0.100 | 25.0 ± 0.200 | "
            + "0.640x | 6.00 ± 0.100 | 2.67x | 16.0 ± 0.100 | 1.00x | 0.0 | 0.0 | 120.0 | 0.0 |");
    }

    @Test
    void shouldPairEachHandleRowWithItsIdTwin()
    {
        final String table = ComparisonTable.render(Fixtures.runs("handles.json"));

        assertThat(table).contains("| operation | id row | core | synchronized | atomicref | jctools |");
        // handle / id: core 16 / 10, synchronized 25 / 20, atomicref 6 / 5, jctools 16 / 12.5
        assertThat(table).contains(
            "| HandleBenchmark.observeNoChain | ObserveBenchmark.observeNoChain | 1.60x | 1.25x | 1.20x | 1.28x |");
        assertThat(table).contains("| HandleBenchmark.phiAtCapacity1000 | - | - | - | - | - |");
    }

    @Test
    void shouldLeaveTheHandleSectionOutWhenNoHandleRowRan()
    {
        assertThat(ComparisonTable.render(Fixtures.runs("run-1.json"))).doesNotContain("Handle");
    }

    @Test
    void shouldLeaveSampleModeRowsToTheTailLatencyTable()
    {
        assertThat(ComparisonTable.render(Fixtures.runs("run-1.json"))).doesNotContain("TailLatencyBenchmark");
    }
}
