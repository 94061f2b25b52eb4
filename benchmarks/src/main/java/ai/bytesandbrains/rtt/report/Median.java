package ai.bytesandbrains.rtt.report;

import java.util.Arrays;

/** The median of repeated measurements: robust to the one run a noisy 2-core machine spoils. */
public final class Median
{
    private Median()
    {
    }

    /**
     * @param values measurements; NaN marks a run that has none and is left out.
     * @return the middle value, the mean of the two middle ones for an even count, or NaN when no value is a number.
     */
    public static double of(final double... values)
    {
        final double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
