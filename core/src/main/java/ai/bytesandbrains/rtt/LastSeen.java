package ai.bytesandbrains.rtt;

/**
 * Codec of a site's last-seen word, the one home of its encoding.
 *
 * <pre>
 *   0                        never seen: tracked from a report only, or inserted and not yet observed
 *   1 (RESTORED)             tracked before a restart or snapshot import, not seen since
 *   nowNs | Long.MIN_VALUE   last seen at nowNs (0 .. 2^63 - 1)
 *   2 .. Long.MAX_VALUE      never written: a corrupt word
 * </pre>
 * A seen word is negative, so "has been seen" is one sign test, and seen words order like the times they
 * encode. Zeroed memory is "never seen" (D2). A restored site is not seen either (φ 0, no inter-arrival
 * across the restart), but {@link RttTracker#evictIdle} judges it idle from the restart on, so a
 * restored peer that never returns does not hold its record forever.
 *
 * <p>Pure functions: thread-safe, allocation-free.
 */
public final class LastSeen
{
    /** Never seen. */
    public static final long NEVER_SEEN = 0L;
    /** Tracked before a restart, not seen since. */
    public static final long RESTORED = 1L;

    private LastSeen()
    {
    }

    /**
     * Pure; thread-safe.
     *
     * @param nowNs a time, {@code >= 0}.
     * @return the word for "last seen at {@code nowNs}".
     */
    public static long encode(final long nowNs)
    {
        return nowNs | Long.MIN_VALUE;
    }

    /**
     * Pure; thread-safe.
     *
     * @param word a last-seen word.
     * @return {@code true} when it holds a time.
     */
    public static boolean isSeen(final long word)
    {
        return word < 0;
    }

    /**
     * Pure; thread-safe.
     *
     * @param word a last-seen word.
     * @return the time it holds, 0 when not seen.
     */
    public static long timeNs(final long word)
    {
        return word < 0 ? word & Long.MAX_VALUE : 0;
    }

    /**
     * Pure; thread-safe.
     *
     * @param word a last-seen word.
     * @return {@code true} for a word this library writes: never seen, restored, or a time.
     */
    public static boolean isValid(final long word)
    {
        return word <= RESTORED;
    }
}
