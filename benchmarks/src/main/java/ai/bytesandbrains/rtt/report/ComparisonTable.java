package ai.bytesandbrains.rtt.report;

import java.util.Locale;

/**
 * The full table: every throughput row, core against each baseline (score, ratio core / baseline) and
 * B/op per implementation. With one run a score carries JMH's error; with several it is the median over
 * the runs and the ratio is the median of the per-run ratios. Sample-mode rows are left to
 * {@link TailLatencyTable}: a mean latency is not a throughput.
 */
public final class ComparisonTable
{
    private ComparisonTable()
    {
    }

    /**
     * @param runs the runs.
     * @return the Markdown table with its legend.
     */
    public static String render(final RunSet runs)
    {
        final StringBuilder out = new StringBuilder("Scores are throughput in ops/us (higher is better; for threaded runs, ")
            .append("the total over all threads; scan is per site visited); ")
            .append(runs.size() == 1 ? "± is JMH's 99.9% error" : "each score is the median of " + runs.size() +
                " runs and each ratio the median of the runs' ratios")
            .append("; ratio = core / baseline; B/op is gc.alloc.rate.norm.\n\n| operation | threads | core |");
        final StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (final String baseline : Impls.BASELINES)
        {
            out.append(' ').append(baseline).append(" | core/").append(baseline).append(" |");
            rule.append("---:|---:|");
        }
        for (final String impl : Impls.ALL)
        {
            out.append(" B/op ").append(impl).append(" |");
            rule.append("---:|");
        }
        out.append('\n').append(rule).append('\n');
        for (final String row : runs.rowKeys())
        {
            final JmhResult any = any(runs, row);
            if (JmhResult.SAMPLE_MODE.equals(any.mode()))
            {
                continue;
            }
            final String core = runs.first(row, Impls.CORE) != null ? Impls.CORE : RunSet.NO_IMPL;
            out.append("| ").append(row.startsWith("AtomicFloor") ? row + " (floor, no tracker)" : row)
                .append(" | ").append(any.threads())
                .append(" | ").append(score(runs, row, core)).append(any.unit().equals("ops/us") ? "" : " " + any.unit())
                .append(" |");
            for (final String baseline : Impls.BASELINES)
            {
                out.append(' ').append(score(runs, row, baseline)).append(" | ").append(ratio(runs, row, core, baseline))
                    .append(" |");
            }
            for (final String impl : Impls.ALL)
            {
                out.append(' ').append(bytes(runs, row, impl.equals(Impls.CORE) ? core : impl)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static JmhResult any(final RunSet runs, final String row)
    {
        final JmhResult core = runs.first(row, Impls.CORE);
        if (core != null)
        {
            return core;
        }
        final JmhResult noImpl = runs.first(row, RunSet.NO_IMPL);
        if (noImpl != null)
        {
            return noImpl;
        }
        for (final String baseline : Impls.BASELINES)
        {
            final JmhResult r = runs.first(row, baseline);
            if (r != null)
            {
                return r;
            }
        }
        throw new IllegalStateException("a row key with no result: " + row);
    }

    private static String score(final RunSet runs, final String row, final String impl)
    {
        if (runs.first(row, impl) == null)
        {
            return "-";
        }
        final double median = runs.median(row, impl, JmhResult::score);
        final double error = runs.size() == 1 ? runs.first(row, impl).error() : Double.NaN;
        return Double.isNaN(error) ? Format.number(median) : Format.number(median) + " ± " + Format.number(error);
    }

    private static String ratio(final RunSet runs, final String row, final String core, final String baseline)
    {
        if (runs.first(row, core) == null || runs.first(row, baseline) == null)
        {
            return "-";
        }
        return Format.ratio(Median.of(runs.ratios(row, core, row, baseline, JmhResult::score)));
    }

    private static String bytes(final RunSet runs, final String row, final String impl)
    {
        final double bytes = runs.median(row, impl, JmhResult::bytesPerOp);
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f", bytes);
    }
}
