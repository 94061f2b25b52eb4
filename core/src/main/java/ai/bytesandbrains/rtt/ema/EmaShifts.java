package ai.bytesandbrains.rtt.ema;

/**
 * The gains of an EMA as shifts: α = 2^-alphaShift, β = 2^-betaShift. Immutable; thread-safe.
 *
 * @param alphaShift log2(1/α) for srtt, 0..63.
 * @param betaShift  log2(1/β) for rttvar, 0..63.
 */
public record EmaShifts(int alphaShift, int betaShift)
{
    /** RFC 6298 α = 1/8. */
    public static final int DEFAULT_ALPHA_SHIFT = 3;
    /** RFC 6298 β = 1/4. */
    public static final int DEFAULT_BETA_SHIFT = 2;
    /** The reference's global prior learns slowly: α = 1/64. */
    public static final int GLOBAL_ALPHA_SHIFT = 6;
    /** The reference's global prior learns slowly: β = 1/32. */
    public static final int GLOBAL_BETA_SHIFT = 5;

    /** RFC 6298 gains (3, 2), used by site, edge and chain EMAs. */
    public static final EmaShifts RFC_6298 = new EmaShifts(DEFAULT_ALPHA_SHIFT, DEFAULT_BETA_SHIFT);
    /** The reference's gains for the global prior (6, 5). */
    public static final EmaShifts GLOBAL_PRIOR = new EmaShifts(GLOBAL_ALPHA_SHIFT, GLOBAL_BETA_SHIFT);

    /**
     * Immutable; thread-safe.
     *
     * @param alphaShift log2(1/α), 0..63.
     * @param betaShift  log2(1/β), 0..63.
     * @throws IllegalArgumentException naming the shift outside 0..63.
     */
    public EmaShifts
    {
        requireShift("alphaShift", alphaShift);
        requireShift("betaShift", betaShift);
    }

    private static void requireShift(final String name, final int shift)
    {
        if (shift < 0 || shift > 63)
        {
            throw new IllegalArgumentException(name + " must be in 0..63 but was " + shift);
        }
    }
}
