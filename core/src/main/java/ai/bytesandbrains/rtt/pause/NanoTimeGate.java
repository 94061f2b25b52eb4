package ai.bytesandbrains.rtt.pause;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets pauses timed with {@link System#nanoTime()} (the GC feed of {@link ProcessGcPauses}) into a sink
 * whose times come from the caller's clock only while that clock is {@code System.nanoTime()}'s, as far as
 * the caller's scans can tell. A tracker driven by another clock base (a simulated clock, epoch
 * nanoseconds, {@code nanoTime() - start}) would otherwise place every GC pause at a time that means
 * nothing on its own clock, and the pause discount would silently explain the wrong silence or none.
 *
 * <p>Open at first, since {@code System.nanoTime()} is the clock the tracker is documented for (so a caller
 * that never scans keeps the feed); closed by any check whose time is more than {@code toleranceNs} from
 * {@code System.nanoTime()}, and opened again by a check within it. A closed gate refuses
 * pauses and counts them in {@link #refusedCount()}; each mismatching check is counted in
 * {@link #mismatchCount()}. The tolerance absorbs a caller's clock read that is slightly stale (a cached
 * clock, a scheduling delay before the scan); a different clock base is practically never that close.
 *
 * <p>Thread-safe: {@link #check} from any scanning thread, {@link #recordLocalPause} from the JVM's
 * notification thread; lock-free and allocation-free.
 */
public final class NanoTimeGate implements LocalPauseSink
{
    /** Default tolerance: one second between a caller's time and {@code System.nanoTime()}. */
    public static final long DEFAULT_TOLERANCE_NS = 1_000_000_000L;

    private final LocalPauseSink target;
    private final long toleranceNs;
    // volatile: a check on a scanning thread decides what the notification thread lets through next.
    private volatile boolean open = true;
    // Atomic: scanners and the notification thread never lose a count.
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * An open gate. Any thread; share it through a safe publication.
     *
     * @param target      receiving the pauses let through; thread-safe.
     * @param toleranceNs largest distance between a caller's time and {@code System.nanoTime()} taken for the
     *                    same clock, {@code >= 0}.
     * @throws IllegalArgumentException when {@code toleranceNs < 0}.
     * @throws NullPointerException     when {@code target} is null.
     */
    public NanoTimeGate(final LocalPauseSink target, final long toleranceNs)
    {
        if (toleranceNs < 0)
        {
            throw new IllegalArgumentException("toleranceNs must be >= 0: " + toleranceNs);
        }
        if (target == null)
        {
            throw new NullPointerException("target");
        }
        this.target = target;
        this.toleranceNs = toleranceNs;
    }

    /**
     * Compare a caller's time with {@code System.nanoTime()} read just after it, and open or close the gate.
     * Any thread; lock-free, allocation-free; writes the gate only when its state changes.
     *
     * @param callerNowNs  the caller's time.
     * @param systemNowNs  {@code System.nanoTime()}, read after the caller's time.
     * @return true when the clocks match.
     */
    public boolean check(final long callerNowNs, final long systemNowNs)
    {
        final long distanceNs = callerNowNs >= systemNowNs ? callerNowNs - systemNowNs : systemNowNs - callerNowNs;
        final boolean match = distanceNs >= 0 && distanceNs <= toleranceNs; // negative: the difference overflowed
        if (!match)
        {
            mismatches.getAndIncrement(); // atomic: racing scanners never lose a count
        }
        if (open != match) // volatile read first: no write while the state holds
        {
            open = match; // volatile: racing checks leave the verdict of one of them
        }
        return match;
    }

    /**
     * Pass the pause to the target while the gate is open; refuse and count it otherwise. Any thread;
     * lock-free, allocation-free apart from the target.
     *
     * @param startNs start of the pause, on {@code System.nanoTime()}'s clock.
     * @param endNs   end of the pause, on the same clock.
     * @return true when the target stored it.
     */
    @Override
    public boolean recordLocalPause(final long startNs, final long endNs)
    {
        if (!open) // volatile: the latest check's verdict
        {
            refused.getAndIncrement(); // atomic, as above
            return false;
        }
        return target.recordLocalPause(startNs, endNs);
    }

    /**
     * Any thread, volatile read.
     *
     * @return true while pauses are let through.
     */
    public boolean isOpen()
    {
        return open; // volatile: the latest check's verdict
    }

    /**
     * Any thread, volatile read.
     *
     * @return checks whose time was too far from {@code System.nanoTime()}.
     */
    public long mismatchCount()
    {
        return mismatches.get();
    }

    /**
     * Any thread, volatile read.
     *
     * @return pauses refused while closed.
     */
    public long refusedCount()
    {
        return refused.get();
    }
}
