package ai.bytesandbrains.rtt.report;

import java.math.BigDecimal;
import java.util.function.ToDoubleFunction;

/**
 * A target of the form numerator / denominator against a bound, judged on the median of the per-run ratios:
 * core / baseline throughput, core's cost at scale, core's tail latency / a baseline's.
 *
 * @param operation   what the row measures, as the speed targets name it.
 * @param versus      the denominator as the table shows it (a baseline's name, "100 sites").
 * @param numerator   the numerator's row and implementation.
 * @param denominator the denominator's row and implementation.
 * @param measureName what is compared, e.g. "throughput" or "p99.9".
 * @param measure     how to read it from a result.
 * @param atLeast     {@code true} when the ratio must be at least {@code bound}, {@code false} for at most.
 * @param bound       the threshold.
 */
public record Target(
    String operation, String versus, Side numerator, Side denominator, String measureName,
    ToDoubleFunction<JmhResult> measure, boolean atLeast, double bound)
{
    /** One side of a ratio: a row key and an implementation. */
    public record Side(String rowKey, String impl)
    {
    }

    public enum Verdict
    {
        PASS, MISS, MISSING
    }

    /**
     * @param perRun each run's ratio, NaN where the run lacks either side.
     * @param median the median of the runs that have both sides; what the verdict is judged on.
     * @param verdict PASS or MISS on the median, MISSING when no run has both sides.
     */
    public record Outcome(double[] perRun, double median, Verdict verdict)
    {
    }

    /**
     * @return core / {@code baseline} throughput on {@code rowKey}, at least {@code bound}.
     */
    public static Target throughput(final String operation, final String rowKey, final String baseline, final double bound)
    {
        return new Target(operation, baseline, new Side(rowKey, Impls.CORE), new Side(rowKey, baseline), "throughput",
            JmhResult::score, true, bound);
    }

    /**
     * @return how much more a call of core costs at {@code large} than at {@code small} (throughput at small
     *     / throughput at large), at most {@code bound}.
     */
    public static Target costGrowth(
        final String operation, final String small, final String smallName, final String large, final double bound)
    {
        return new Target(operation, smallName, new Side(large, Impls.CORE), new Side(small, Impls.CORE), "cost",
            r -> 1.0 / r.score(), false, bound);
    }

    /**
     * @return core's latency at {@code percentile} / {@code baseline}'s on {@code rowKey}, at most {@code bound}.
     */
    public static Target latency(
        final String operation, final String rowKey, final String baseline, final double percentile, final double bound)
    {
        return new Target(operation, baseline, new Side(rowKey, Impls.CORE), new Side(rowKey, baseline),
            "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString(), r -> r.percentile(percentile), false, bound);
    }

    /**
     * @param runs the runs.
     * @return each run's ratio, their median and the verdict.
     */
    public Outcome evaluate(final RunSet runs)
    {
        final double[] ratios =
            runs.ratios(numerator.rowKey(), numerator.impl(), denominator.rowKey(), denominator.impl(), measure);
        final double median = Median.of(ratios);
        final Verdict verdict = Double.isNaN(median) ? Verdict.MISSING :
            (atLeast ? median >= bound : median <= bound) ? Verdict.PASS : Verdict.MISS;
        return new Outcome(ratios, median, verdict);
    }

    /** @return the bound as the table prints it, e.g. ">= 1.5x". */
    public String required()
    {
        return (atLeast ? ">= " : "<= ") + Format.ratio(bound);
    }
}
