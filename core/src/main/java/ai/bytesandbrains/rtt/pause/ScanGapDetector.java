package ai.bytesandbrains.rtt.pause;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Detects local pauses as gaps in a periodic scan's own schedule: if the thread that checks sites for
 * suspicion did not run for much longer than its usual interval, the process was stalled (a GC the JMX
 * notifications missed, VM steal, a stopped container), and the silence of every site over that stall is
 * explained locally.
 *
 * <p>With {@code gap = now - previousScan} and {@code expected} the last gap not judged a pause, a gap is a
 * pause when {@code gap > max(minPauseNs, 2 * expected)}; the pause is then {@code [previousScan + expected,
 * now)}: the scan should have run {@code expected} after the previous one and could not until now.
 * Otherwise the gap becomes the new {@code expected}. The first call only sets the baseline, and the first
 * gap is only learned, never a pause.
 *
 * <p>Times are on the caller's monotonic nanosecond clock, compared as signed longs (see
 * {@link LocalPauseLog} for the valid range). {@link Long#MIN_VALUE} is reserved as "no scan yet": a call
 * with it changes nothing. A gap longer than {@link Long#MAX_VALUE} is neither judged nor learned.
 */
public final class ScanGapDetector
{
    private static final long NO_SCAN = Long.MIN_VALUE;
    private static final long UNKNOWN_EXPECTED = -1;

    private final LocalPauseSink sink;
    private final long minPauseNs;
    // CAS: each gap is owned by exactly one scanner.
    private final AtomicLong previousScanNs = new AtomicLong(NO_SCAN);
    // Atomic: racing owners never lose a count.
    private final AtomicLong pausesDetected = new AtomicLong();
    // volatile: a heuristic shared by scanners on any thread; races only shift a borderline judgement.
    private volatile long expectedNs = UNKNOWN_EXPECTED;

    /**
     * Create a detector with no baseline. Any thread; share it through a safe publication.
     *
     * @param sink       receiving the detected pauses, usually a {@link LocalPauseLog}; must be thread-safe.
     * @param minPauseNs shortest gap that may be judged a pause, {@code > 0}: set it well above the scan
     *                   period and its jitter (several periods), since a run of unusually short gaps lowers
     *                   {@code expected}.
     * @throws IllegalArgumentException when {@code minPauseNs <= 0}.
     * @throws NullPointerException     when {@code sink} is null.
     */
    public ScanGapDetector(final LocalPauseSink sink, final long minPauseNs)
    {
        if (minPauseNs <= 0)
        {
            throw new IllegalArgumentException("minPauseNs must be > 0: " + minPauseNs);
        }
        if (sink == null)
        {
            throw new NullPointerException("sink");
        }
        this.sink = sink;
        this.minPauseNs = minPauseNs;
    }

    /**
     * Note a scan at {@code nowNs} and judge the gap since the previous one.
     *
     * <p>Any number of threads may call this at once (concurrent scanners share one schedule); lock-free and
     * allocation-free apart from what the sink does. The previous scan time only moves forward, by CAS: a
     * {@code nowNs} at or before it (a late caller) changes nothing and returns 0, and each gap is owned by
     * exactly the one caller whose CAS moved it, so no gap is judged or recorded twice.
     *
     * <p>{@code expected} is a heuristic, read and written with plain volatile accesses, not CAS: owners of
     * consecutive gaps racing on it may judge against an {@code expected} one gap older, and the later of two
     * racing writes wins even if it belongs to the earlier gap. Both only shift a borderline judgement; the
     * ownership of gaps, and so the absence of double recording, does not depend on it.
     *
     * @param nowNs time of this scan.
     * @return length of the pause recorded for the gap ending now, 0 when none (whether or not the sink
     * stored it).
     */
    public long onScan(final long nowNs)
    {
        long previousNs;
        do
        {
            previousNs = previousScanNs.get(); // volatile: the latest scan; the CAS re-checks it
            if (previousNs != NO_SCAN && nowNs <= previousNs)
            {
                return 0;
            }
        }
        while (!previousScanNs.compareAndSet(previousNs, nowNs)); // CAS: this caller alone owns the gap

        final long gapNs = nowNs - previousNs;
        if (previousNs == NO_SCAN || gapNs < 0)
        {
            return 0;
        }

        final long expected = expectedNs; // volatile read, see the Javadoc
        if (expected != UNKNOWN_EXPECTED)
        {
            final long twiceExpected = expected > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * expected;
            if (gapNs > Math.max(minPauseNs, twiceExpected))
            {
                // previous < previous + expected < now, so neither this sum nor the length overflows.
                final long pauseStartNs = previousNs + expected;
                sink.recordLocalPause(pauseStartNs, nowNs);
                pausesDetected.getAndIncrement(); // atomic: racing owners never lose a count
                return nowNs - pauseStartNs;
            }
        }
        expectedNs = gapNs; // volatile write: last writer wins, see the Javadoc
        return 0;
    }

    /**
     * Pauses detected since construction; any thread, volatile read.
     *
     * @return detected pauses.
     */
    public long pausesDetected()
    {
        return pausesDetected.get(); // volatile: the latest count
    }

    /**
     * Current expected scan interval; any thread, volatile read.
     *
     * @return the last gap not judged a pause, -1 while unknown.
     */
    public long expectedNs()
    {
        return expectedNs; // volatile: the latest heuristic
    }

    /**
     * Immutable; any thread.
     *
     * @return shortest gap that may be judged a pause.
     */
    public long minPauseNs()
    {
        return minPauseNs;
    }
}
