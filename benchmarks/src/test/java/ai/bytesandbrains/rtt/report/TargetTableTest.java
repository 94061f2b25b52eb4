package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetTableTest
{
    @Test
    void shouldHoldIssue13sThresholdsForEveryBaseline()
    {
        final List<Target> targets = TargetTable.speedTargets();

        assertThat(targets).filteredOn(t -> t.operation().equals("observe with chain, 1 thread"))
            .extracting(Target::versus, Target::bound)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(Impls.SYNCHRONIZED, 1.5),
                org.assertj.core.groups.Tuple.tuple(Impls.ATOMIC_REF, 2.0),
                org.assertj.core.groups.Tuple.tuple(Impls.JCTOOLS, 1.5));
        assertThat(targets).filteredOn(t -> t.operation().startsWith("φ"))
            .extracting(Target::bound).containsExactly(50.0, 1.0, 1.0);
        assertThat(targets).filteredOn(t -> t.operation().startsWith("observe at 100,000 sites"))
            .singleElement().satisfies(t -> assertThat(t.atLeast()).isFalse());
    }

    @Test
    void shouldPrintEachRunsRatioTheMedianAndTheVerdict()
    {
        final String table = TargetTable.render(Fixtures.threeRuns(), TargetTable.speedTargets());

        assertThat(table).contains("| run 1 | run 2 | run 3 | median | verdict |");
        assertThat(table).contains(
            "| observe with chain, 1 thread | synchronized | throughput | >= 1.50x | 1.50x | 1.80x | 1.30x | 1.50x | PASS |");
        assertThat(table).contains(
            "| observe with chain, 1 thread | jctools | throughput | >= 1.50x | 1.20x | missing | 1.30x | 1.25x | **MISS** |");
    }

    @Test
    void shouldMarkOperationsNotRunAsMissing()
    {
        final String table = TargetTable.render(Fixtures.threeRuns(), TargetTable.speedTargets());

        assertThat(table).contains(
            "| estimate: edge hit | synchronized | throughput | >= 3.00x | missing | missing | missing | missing | MISSING (not run) |");
    }
}
