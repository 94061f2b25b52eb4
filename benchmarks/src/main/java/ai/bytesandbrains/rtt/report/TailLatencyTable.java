package ai.bytesandbrains.rtt.report;

import java.util.List;

/**
 * The tail-latency report of {@code TailLatencyBenchmark} (3 observers and 1 estimator on 2 cores):
 * p50, p99, p99.9, p99.99 and the maximum per implementation for each side, each the median over the
 * runs, then the speed target: core's estimate p99.9 and p99.99 at most 1/10 of the synchronized port's.
 */
public final class TailLatencyTable
{
    /** Row key of the estimating thread's samples. */
    public static final String ESTIMATE = "TailLatencyBenchmark.oversubscribed:estimate";
    /** Row key of the observing threads' samples. */
    public static final String OBSERVE = "TailLatencyBenchmark.oversubscribed:observe";

    private static final double[] PERCENTILES = {50.0, 99.0, 99.9, 99.99, 100.0};

    private TailLatencyTable()
    {
    }

    /** @return the tail targets. */
    public static List<Target> targets()
    {
        return List.of(
            Target.latency("estimate beside 3 observers, 2 cores", ESTIMATE, Impls.SYNCHRONIZED, 99.9, 0.1),
            Target.latency("estimate beside 3 observers, 2 cores", ESTIMATE, Impls.SYNCHRONIZED, 99.99, 0.1));
    }

    /**
     * @param runs the runs.
     * @return the Markdown tables, or a line saying the benchmark was not run.
     */
    public static String render(final RunSet runs)
    {
        if (!runs.rowKeys().contains(ESTIMATE) && !runs.rowKeys().contains(OBSERVE))
        {
            return "Tail latency: not run (TailLatencyBenchmark.oversubscribed).\n";
        }
        final StringBuilder out = new StringBuilder()
            .append("Tail latency under oversubscription (TailLatencyBenchmark.oversubscribed: 3 threads observing, ")
            .append("1 estimating; 4 threads on 2 cores in the reference setup), ns per call")
            .append(runs.size() > 1 ? ", each figure the median of " + runs.size() + " runs" : "").append(":\n\n")
            .append("| side | impl | p50 | p99 | p99.9 | p99.99 | max |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (final String side : new String[]{ESTIMATE, OBSERVE})
        {
            for (final String impl : Impls.ALL)
            {
                out.append("| ").append(side.substring(side.indexOf(':') + 1)).append(" | ").append(impl).append(" |");
                for (final double p : PERCENTILES)
                {
                    out.append(' ').append(Format.number(runs.median(side, impl, r -> r.percentile(p)))).append(" |");
                }
                out.append('\n');
            }
        }
        return out.append('\n').append(TargetTable.render(runs, targets())).toString();
    }
}
