package ai.bytesandbrains.rtt.phi;

/**
 * The φ-accrual computation of Hayashibara et al. with the exponential approximation used by the
 * reference: {@code φ = elapsed / (mean * ln 10)}, where {@code mean} is the mean inter-arrival time.
 *
 * <p>Pure functions: thread-safe and allocation-free. The thresholds are compared strictly, as the
 * reference: suspect when {@code φ > suspectPhi}, down when {@code φ > downPhi}.
 */
public final class PhiAccrual
{
    /** ln 10, the reference's {@code std::f64::consts::LN_10}. */
    public static final double LN_10 = 2.302585092994046;

    /** The reference's default suspect threshold. */
    public static final double DEFAULT_SUSPECT_PHI = 8.0;

    /** The reference's default down threshold. */
    public static final double DEFAULT_DOWN_PHI = 16.0;

    private PhiAccrual()
    {
    }

    /**
     * φ for a silence of {@code elapsedNs} given the history's exact sum and length. Pure; thread-safe.
     *
     * @param elapsedNs  time since the last heartbeat; negative is treated as 0.
     * @param historySum exact sum of the inter-arrival history, in nanoseconds.
     * @param historyLength number of inter-arrival times in the history.
     * @return φ, finite and {@code >= 0}; 0 when the history is empty or its mean is not positive.
     */
    public static double phi(final long elapsedNs, final long historySum, final long historyLength)
    {
        if (historyLength <= 0 || historySum <= 0)
        {
            return 0.0;
        }
        return phi(elapsedNs, (double)historySum / historyLength);
    }

    /**
     * φ for a silence of {@code elapsedNs} given the mean inter-arrival time. Pure; thread-safe.
     *
     * @param elapsedNs time since the last heartbeat; negative is treated as 0.
     * @param meanNs    mean inter-arrival time in nanoseconds.
     * @return φ, finite and {@code >= 0}; 0 when {@code meanNs} is not positive (or NaN).
     */
    public static double phi(final long elapsedNs, final double meanNs)
    {
        if (!(meanNs > 0.0))
        {
            return 0.0;
        }
        return Math.max(elapsedNs, 0L) / (meanNs * LN_10);
    }

    /**
     * Classify φ: down when {@code phi > downPhi}, else suspect when {@code phi > suspectPhi}, else live.
     * Pure; thread-safe.
     *
     * @param phi        the suspicion level.
     * @param suspectPhi suspect threshold.
     * @param downPhi    down threshold.
     * @return the state.
     */
    public static PhiState classify(final double phi, final double suspectPhi, final double downPhi)
    {
        if (phi > downPhi)
        {
            return PhiState.DOWN;
        }
        return phi > suspectPhi ? PhiState.SUSPECT : PhiState.LIVE;
    }
}
