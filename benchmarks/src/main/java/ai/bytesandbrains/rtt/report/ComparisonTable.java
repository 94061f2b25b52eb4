package ai.bytesandbrains.rtt.report;

import java.util.List;
import java.util.Locale;

/**
 * The full table: every throughput row, core against each baseline (score, ratio core / baseline) and
 * B/op per implementation. With one run a score carries JMH's error; with several it is the median over
 * the runs and the ratio is the median of the per-run ratios. Sample-mode rows are left to
 * {@link TailLatencyTable}: a mean latency is not a throughput. The handle API's rows ({@code HandleBenchmark})
 * follow in a section of their own, with each implementation's handle / id ratio against the id row of the
 * same method: the speed targets are the id-keyed API's, so the two are never mixed in one table.
 */
public final class ComparisonTable
{
    /** The class whose rows are the handle API's. */
    static final String HANDLE_BENCHMARK = "HandleBenchmark.";
    /** The classes whose same-named methods are the handle rows' id-keyed twins. */
    private static final List<String> ID_TWIN_BENCHMARKS = List.of("ObserveBenchmark.", "EstimateBenchmark.", "PhiBenchmark.");

    private ComparisonTable()
    {
    }

    /**
     * @param rowKey a row key.
     * @return whether the row measures the handle API.
     */
    public static boolean isHandleRow(final String rowKey)
    {
        return rowKey.startsWith(HANDLE_BENCHMARK);
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
            .append("; ratio = core / baseline; B/op is gc.alloc.rate.norm.\n\n");
        table(out, runs, runs.rowKeys().stream().filter(row -> !isHandleRow(row)).toList());
        final List<String> handleRows = runs.rowKeys().stream().filter(ComparisonTable::isHandleRow).toList();
        if (!handleRows.isEmpty())
        {
            out.append("\nHandle API: the same calls through a handle made once per site (core's SiteHandle; each baseline's ")
                .append("handle caches its per-site object), so none looks a tracked site up; ratio = core / baseline; ")
                .append("no speed targets, those are the id-keyed API's:\n\n");
            table(out, runs, handleRows);
            out.append("\nHandle against id, each implementation's throughput through the handle / by id (the id row is ")
                .append("the same method of ObserveBenchmark, EstimateBenchmark or PhiBenchmark):\n\n");
            handleVersusId(out, runs, handleRows);
        }
        return out.toString();
    }

    private static void table(final StringBuilder out, final RunSet runs, final List<String> rows)
    {
        out.append("| operation | threads | core |");
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
        for (final String row : rows)
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
    }

    private static void handleVersusId(final StringBuilder out, final RunSet runs, final List<String> handleRows)
    {
        out.append("| operation | id row |");
        final StringBuilder rule = new StringBuilder("|---|---|");
        for (final String impl : Impls.ALL)
        {
            out.append(' ').append(impl).append(" |");
            rule.append("---:|");
        }
        out.append('\n').append(rule).append('\n');
        for (final String row : handleRows)
        {
            final String twin = idTwin(runs, row);
            out.append("| ").append(row).append(" | ").append(twin == null ? "-" : twin).append(" |");
            for (final String impl : Impls.ALL)
            {
                out.append(' ').append(twin == null ? "-" : ratio(runs, row, impl, twin, impl)).append(" |");
            }
            out.append('\n');
        }
    }

    /** The id-keyed row of the handle row's method, or {@code null} when none was run. */
    private static String idTwin(final RunSet runs, final String handleRow)
    {
        final String method = handleRow.substring(HANDLE_BENCHMARK.length());
        for (final String benchmark : ID_TWIN_BENCHMARKS)
        {
            if (runs.rowKeys().contains(benchmark + method))
            {
                return benchmark + method;
            }
        }
        return null;
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
        return ratio(runs, row, core, row, baseline);
    }

    private static String ratio(
        final RunSet runs, final String row, final String impl, final String otherRow, final String otherImpl)
    {
        if (runs.first(row, impl) == null || runs.first(otherRow, otherImpl) == null)
        {
            return "-";
        }
        return Format.ratio(Median.of(runs.ratios(row, impl, otherRow, otherImpl, JmhResult::score)));
    }

    private static String bytes(final RunSet runs, final String row, final String impl)
    {
        final double bytes = runs.median(row, impl, JmhResult::bytesPerOp);
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f", bytes);
    }
}
