package ai.bytesandbrains.rtt.report;

import java.util.ArrayList;
import java.util.List;

import static ai.bytesandbrains.rtt.report.Impls.ATOMIC_REF;
import static ai.bytesandbrains.rtt.report.Impls.JCTOOLS;
import static ai.bytesandbrains.rtt.report.Impls.SYNCHRONIZED;

/**
 * The speed targets, core / each baseline per operation, plus the scale row, as a Markdown
 * table: each run's ratio, their median, and PASS or MISS judged on the median.
 */
public final class TargetTable
{
    private TargetTable()
    {
    }

    /** @return the speed target table, one row per operation and baseline. */
    public static List<Target> speedTargets()
    {
        final List<Target> targets = new ArrayList<>();
        // thresholds vs synchronized, atomicref, jctools, as the speed targets give them
        perBaseline(targets, "observe with chain, 1 thread", "ObserveBenchmark.observeWithChain", 1.5, 2, 1.5);
        perBaseline(targets, "observe, no chain, 1 thread", "ObserveBenchmark.observeNoChain", 1.5, 2, 1.5);
        perBaseline(targets, "observe, 2 threads on distinct sites", "ContentionBenchmark.observeDistinctSites2Threads",
            2, 2, 1.5);
        perBaseline(targets, "estimate: edge hit", "EstimateBenchmark.estimateTier1Hit", 3, 1.2, 1.2);
        perBaseline(targets, "estimate: site tier", "EstimateBenchmark.estimateSiteNoChain", 3, 1.2, 1.2);
        perBaseline(targets, "estimate: fall-through", "EstimateBenchmark.estimateFallThroughGlobal", 3, 1.2, 1.2);
        perBaseline(targets, "φ at history 1000", "PhiBenchmark.phiAtCapacity1000", 50, 1, 1);
        perBaseline(targets, "scan, per site, no transitions", "ScanBenchmark.scanNoTransitions", 100, 1, 1);
        perBaseline(targets, "scan, per site, every site transitions", "ScanBenchmark.scanWithTransitions", 100, 1, 1);
        targets.add(Target.costGrowth("observe at 100,000 sites vs 100 sites (core alone)",
            "ScaleBenchmark.observeWithChain (100 sites)", "core at 100 sites",
            "ScaleBenchmark.observeWithChain (100000 sites)", 2));
        return List.copyOf(targets);
    }

    private static void perBaseline(
        final List<Target> targets, final String operation, final String rowKey,
        final double vsSynchronized, final double vsAtomicRef, final double vsJcTools)
    {
        targets.add(Target.throughput(operation, rowKey, SYNCHRONIZED, vsSynchronized));
        targets.add(Target.throughput(operation, rowKey, ATOMIC_REF, vsAtomicRef));
        targets.add(Target.throughput(operation, rowKey, JCTOOLS, vsJcTools));
    }

    /**
     * @param runs    the runs.
     * @param targets the rows.
     * @return the Markdown table: operation, versus, measure, required, one column per run, median, verdict.
     */
    public static String render(final RunSet runs, final List<Target> targets)
    {
        final StringBuilder out = new StringBuilder("| operation | vs | measure | required |");
        final StringBuilder rule = new StringBuilder("|---|---|---|---:|");
        for (int run = 1; run <= runs.size(); run++)
        {
            out.append(" run ").append(run).append(" |");
            rule.append("---:|");
        }
        out.append(" median | verdict |\n").append(rule).append("---:|---|\n");
        for (final Target target : targets)
        {
            final Target.Outcome outcome = target.evaluate(runs);
            out.append("| ").append(target.operation()).append(" | ").append(target.versus())
                .append(" | ").append(target.measureName()).append(" | ").append(target.required()).append(" |");
            for (final double ratio : outcome.perRun())
            {
                out.append(' ').append(Format.ratio(ratio)).append(" |");
            }
            out.append(' ').append(Format.ratio(outcome.median())).append(" | ").append(mark(outcome.verdict())).append(" |\n");
        }
        return out.toString();
    }

    private static String mark(final Target.Verdict verdict)
    {
        return switch (verdict)
        {
            case PASS -> "PASS";
            case MISS -> "**MISS**";
            case MISSING -> "MISSING (not run)";
        };
    }
}
