package ai.bytesandbrains.rtt.phi;

/**
 * Suspicion level of a peer, as classified by the φ-accrual detector. Every site starts {@link #LIVE}.
 */
public enum PhiState
{
    /** φ at or below the suspect threshold: healthy. */
    LIVE,
    /** φ above the suspect threshold, at or below the down threshold. */
    SUSPECT,
    /** φ above the down threshold: hard down. */
    DOWN;

    private static final PhiState[] BY_CODE = values();

    /**
     * Pure; thread-safe.
     *
     * @param code an {@link #ordinal()} as stored off-heap.
     * @return the state with that code.
     */
    public static PhiState fromCode(final int code)
    {
        return BY_CODE[code];
    }
}
