package ai.bytesandbrains.rtt.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The same suite run N times: each run's results, looked up by row key ({@link JmhResult#rowKey()}) and
 * implementation. A row or implementation absent from a run is {@code null} there, never an error.
 */
public final class RunSet
{
    /** The implementation of a core-only benchmark, which has no {@code impl} parameter. */
    public static final String NO_IMPL = "-";

    private final List<Map<String, Map<String, JmhResult>>> runs = new ArrayList<>();
    private final Map<String, Set<String>> implsByRow = new LinkedHashMap<>();

    /**
     * @param runs each run's results, in run order.
     */
    public RunSet(final List<List<JmhResult>> runs)
    {
        for (final List<JmhResult> run : runs)
        {
            final Map<String, Map<String, JmhResult>> rows = new HashMap<>();
            for (final JmhResult r : run)
            {
                rows.computeIfAbsent(r.rowKey(), k -> new HashMap<>()).put(r.impl(), r);
                implsByRow.computeIfAbsent(r.rowKey(), k -> new LinkedHashSet<>()).add(r.impl());
            }
            this.runs.add(rows);
        }
    }

    /**
     * @param files JMH JSON files, one per run of the suite.
     * @return the runs.
     * @throws IOException when a file cannot be read.
     */
    public static RunSet read(final List<Path> files) throws IOException
    {
        final List<List<JmhResult>> runs = new ArrayList<>();
        for (final Path file : files)
        {
            runs.add(JmhResult.read(file));
        }
        return new RunSet(runs);
    }

    /** @return the number of runs. */
    public int size()
    {
        return runs.size();
    }

    /** @return every row key seen in any run, in order of first appearance. */
    public Set<String> rowKeys()
    {
        return implsByRow.keySet();
    }

    /**
     * @return the result, or {@code null} when that run has no such row or implementation.
     */
    public JmhResult get(final int run, final String rowKey, final String impl)
    {
        final Map<String, JmhResult> row = runs.get(run).get(rowKey);
        return row == null ? null : row.get(impl);
    }

    /**
     * @return the result of the first run that has it, or {@code null}.
     */
    public JmhResult first(final String rowKey, final String impl)
    {
        for (int run = 0; run < runs.size(); run++)
        {
            final JmhResult r = get(run, rowKey, impl);
            if (r != null)
            {
                return r;
            }
        }
        return null;
    }

    /**
     * @param measure what to take from each run's result (score, a percentile, B/op).
     * @return one value per run, NaN where the run lacks the result.
     */
    public double[] perRun(final String rowKey, final String impl, final ToDoubleFunction<JmhResult> measure)
    {
        final double[] values = new double[runs.size()];
        for (int run = 0; run < runs.size(); run++)
        {
            final JmhResult r = get(run, rowKey, impl);
            values[run] = r == null ? Double.NaN : measure.applyAsDouble(r);
        }
        return values;
    }

    /**
     * @return per run, {@code measure} of the first result over {@code measure} of the second; NaN where
     *     the run lacks either.
     */
    public double[] ratios(
        final String rowKey, final String impl, final String otherRowKey, final String otherImpl,
        final ToDoubleFunction<JmhResult> measure)
    {
        final double[] top = perRun(rowKey, impl, measure);
        final double[] bottom = perRun(otherRowKey, otherImpl, measure);
        final double[] ratios = new double[top.length];
        for (int run = 0; run < ratios.length; run++)
        {
            ratios[run] = top[run] / bottom[run]; // NaN / x and x / NaN are NaN
        }
        return ratios;
    }

    /**
     * @return the median over the runs of {@code measure}, NaN when no run has the result.
     */
    public double median(final String rowKey, final String impl, final ToDoubleFunction<JmhResult> measure)
    {
        return Median.of(perRun(rowKey, impl, measure));
    }

    /**
     * @return one result per row and implementation seen in any run, with the median score and the median
     *     B/op over the runs (JMH's error dropped), for charts and the full table.
     */
    public List<JmhResult> medians()
    {
        final List<JmhResult> medians = new ArrayList<>();
        for (final Map.Entry<String, Set<String>> row : implsByRow.entrySet())
        {
            for (final String impl : row.getValue())
            {
                final JmhResult any = first(row.getKey(), impl);
                final double score = median(row.getKey(), impl, JmhResult::score);
                final double bytes = median(row.getKey(), impl, JmhResult::bytesPerOp);
                medians.add(runs.size() == 1 ? any : new JmhResult(any.operation(), impl, any.sites(), any.threads(),
                    score, Double.NaN, any.unit(), bytes, any.otherParams(), any.mode(), any.percentiles()));
            }
        }
        return medians;
    }
}
