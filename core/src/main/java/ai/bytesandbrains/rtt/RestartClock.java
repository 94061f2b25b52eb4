package ai.bytesandbrains.rtt;

import java.util.concurrent.atomic.AtomicLong;

/**
 * When a restored tracker's sites started to be silent: the restart, on the observe clock. A restored
 * buffer carries no time this process can read ({@code nanoTime} origins differ), so the restart time is
 * the first {@code nowNs} given after it by a scan, an idle sweep, the first round trip of a site, or a
 * round trip refused by a full site table; until then restored sites are never judged idle. Observes
 * of sites already seen never look at this clock, so it costs the hot path nothing. Later times are never noted, so the clock
 * starts at the restart or later, never earlier: a restored site is evicted no sooner than a site last
 * seen at the restart would be.
 *
 * <p>Thread-safe: one atomic word; the first noting thread wins its CAS.
 */
final class RestartClock
{
    private static final long NOT_RESTORED = -2;
    private static final long PENDING = -1;

    private final AtomicLong restartNs = new AtomicLong(NOT_RESTORED);

    /** Mark the tracker restored; single-threaded, before the tracker is shared. */
    void restored()
    {
        restartNs.set(PENDING);
    }

    /**
     * Take {@code nowNs} as the restart time if none is known yet. Any thread, lock-free: one volatile
     * read once the time is known.
     *
     * @param nowNs a time on the observe clock, {@code >= 0}.
     */
    void note(final long nowNs)
    {
        if (restartNs.get() == PENDING) // volatile: a noted time is never replaced
        {
            restartNs.compareAndSet(PENDING, nowNs);
        }
    }

    /**
     * Any thread.
     *
     * @return the restart time, or a negative value when the tracker was not restored or no time was
     * noted since.
     */
    long restartNs()
    {
        return restartNs.get(); // volatile: the noting thread's CAS
    }
}
