package ai.bytesandbrains.rtt.samples;

import java.util.SplittableRandom;

/**
 * How long a demo server takes to answer: a log-normal service time (median, sigma) that may switch
 * to another log-normal at a given time, and an optional time after which the server stops answering.
 *
 * @param medianNs        median service time before {@code switchAtNs}.
 * @param sigma           log-normal shape before the switch (0 gives a constant).
 * @param switchAtNs      run time of the switch ({@link Long#MAX_VALUE}: never).
 * @param medianAfterNs   median after the switch.
 * @param sigmaAfter      shape after the switch.
 * @param silentFromNs    run time from which requests are dropped ({@link Long#MAX_VALUE}: never).
 */
public record LatencyModel(
    long medianNs, double sigma, long switchAtNs, long medianAfterNs, double sigmaAfter, long silentFromNs)
{
    /**
     * @param medianNs median service time.
     * @param sigma    log-normal shape.
     * @return a model that never changes.
     */
    public static LatencyModel steady(final long medianNs, final double sigma)
    {
        return new LatencyModel(medianNs, sigma, Long.MAX_VALUE, medianNs, sigma, Long.MAX_VALUE);
    }

    /**
     * @param atNs          run time of the slowdown.
     * @param medianAfterNs median from then on.
     * @param sigmaAfter    shape from then on.
     * @return this model, slowing down at {@code atNs}.
     */
    public LatencyModel slowingAt(final long atNs, final long medianAfterNs, final double sigmaAfter)
    {
        return new LatencyModel(medianNs, sigma, atNs, medianAfterNs, sigmaAfter, silentFromNs);
    }

    /**
     * @param atNs run time from which the server stops answering.
     * @return this model, silent from {@code atNs}.
     */
    public LatencyModel silentFrom(final long atNs)
    {
        return new LatencyModel(medianNs, sigma, switchAtNs, medianAfterNs, sigmaAfter, atNs);
    }

    /**
     * @param runTimeNs time since the start of the run.
     * @return {@code false} once the server is silent.
     */
    public boolean answers(final long runTimeNs)
    {
        return runTimeNs < silentFromNs;
    }

    /**
     * @param random    the server's generator.
     * @param runTimeNs time since the start of the run.
     * @return a service time in nanoseconds.
     */
    public long sampleNs(final SplittableRandom random, final long runTimeNs)
    {
        final boolean after = runTimeNs >= switchAtNs;
        final double median = after ? medianAfterNs : medianNs;
        final double shape = after ? sigmaAfter : sigma;
        return (long)(median * Math.exp(shape * gaussian(random)));
    }

    private static double gaussian(final SplittableRandom random)
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        final double u = 1.0 - random.nextDouble();
        final double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /**
     * @return a short description for the printed table.
     */
    public String describe()
    {
        final StringBuilder text = new StringBuilder(String.format("lognormal median %.1f ms sigma %.2f", medianNs / 1e6, sigma));
        if (switchAtNs != Long.MAX_VALUE)
        {
            text.append(String.format(", from %.0f s median %.1f ms sigma %.2f", switchAtNs / 1e9, medianAfterNs / 1e6, sigmaAfter));
        }
        if (silentFromNs != Long.MAX_VALUE)
        {
            text.append(String.format(", silent from %.0f s", silentFromNs / 1e9));
        }
        return text.toString();
    }
}
