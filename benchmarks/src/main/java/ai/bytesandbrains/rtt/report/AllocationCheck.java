package ai.bytesandbrains.rtt.report;

/**
 * Speed target: allocation stays 0 B/op on every core benchmark. Judged as below {@value #LIMIT} B/op (JMH's
 * own noise) on the worst run. Sample-mode rows are skipped: JMH allocates every thread's sample histogram
 * each iteration and charges it to the benchmark, so their zero-allocation proof is a throughput-mode twin
 * (TailLatencyBenchmark.oversubscribedThroughput).
 */
public final class AllocationCheck
{
    static final double LIMIT = 0.1;

    private AllocationCheck()
    {
    }

    /**
     * @param runs the runs.
     * @return a Markdown paragraph: every core row that allocates, or the count of rows that do not.
     */
    public static String render(final RunSet runs)
    {
        final StringBuilder out = new StringBuilder("Core allocation (speed target: 0 B/op on every core benchmark; ")
            .append("judged below ").append(LIMIT).append(" B/op on the worst run; sample-mode rows are proven by ")
            .append("their throughput twin):\n\n");
        int checked = 0;
        int failed = 0;
        for (final String row : runs.rowKeys())
        {
            final String impl = runs.first(row, Impls.CORE) != null ? Impls.CORE : RunSet.NO_IMPL;
            final JmhResult any = runs.first(row, impl);
            if (any == null || JmhResult.SAMPLE_MODE.equals(any.mode()))
            {
                continue;
            }
            double worst = Double.NaN;
            for (final double bytes : runs.perRun(row, impl, JmhResult::bytesPerOp))
            {
                worst = Double.isNaN(worst) || bytes > worst ? bytes : worst;
            }
            if (Double.isNaN(worst))
            {
                continue; // a group member, or a run without -prof gc
            }
            checked++;
            if (worst >= LIMIT)
            {
                failed++;
                out.append("- **").append(row).append(": ").append(Format.number(worst)).append(" B/op: MISS**\n");
            }
        }
        if (checked == 0)
        {
            return out.append("- not measured (run with -prof gc)\n").toString();
        }
        return failed == 0 ? out.append("- PASS: all ").append(checked).append(" core benchmarks below ").append(LIMIT)
            .append(" B/op\n").toString() : out.toString();
    }
}
