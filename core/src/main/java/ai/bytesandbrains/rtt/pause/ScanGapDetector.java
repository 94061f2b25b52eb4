package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

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
 * <h2>Times from outside</h2>
 * Scan times come from the caller and may be wrong (a bug, a test, a switch of clock). One bad read must
 * not switch failure detection off, so:
 * <ul>
 *   <li>a gap longer than {@code maxPauseNs} (or than a long can hold) is <em>implausible</em>: it is not
 *   a pause and is not learned; the scan becomes the new baseline, is counted in
 *   {@link #implausibleScanCount()} and returns {@link #IMPLAUSIBLE};</li>
 *   <li>a scan at or at most {@code minPauseNs} before the latest one is a late or repeated scan (another
 *   scanner got there first) and changes nothing;</li>
 *   <li>a scan more than {@code minPauseNs} before the latest one is implausible and counted. The first
 *   such scan is only remembered and returns {@link #IMPLAUSIBLE}, since it may be the stale read of a
 *   scanner that stalled after reading its clock (several of them, racing, lie within moments of each
 *   other). When a later one, at least {@code minPauseNs} after the first and still far behind the latest,
 *   confirms that the clock runs there, the latest scan was the bad read:
 *   the baseline moves back to the new scan, and every logged pause that ends after it is cut at the
 *   first one's time ({@link LocalPauseLog#clampEndsAfter}), so a pause recorded from the bad read
 *   explains nothing. A scan after the latest one forgets a remembered scan.</li>
 * </ul>
 * Every plausible scan (the first, one past a plausible gap, a late one) has seen the process run at its
 * time, so it cuts every logged pause that ends after that time at that time: no pause reaches past a
 * time a later scan observed. Each rule loses pauses rather than inventing them: the detector is never
 * more lenient than consistent clock reads justify. At worst a pause whose start falls between a scan's
 * clock read and its call here is cut to nothing.
 *
 * <p>Times are on the caller's monotonic nanosecond clock, compared as signed longs (see
 * {@link LocalPauseLog} for the valid range). {@link Long#MIN_VALUE} is reserved as "no scan yet": a call
 * with it changes nothing.
 */
public final class ScanGapDetector
{
    /** {@link #onScan} result for a scan whose time is implausible: the caller should not act on it. */
    public static final long IMPLAUSIBLE = -1;

    private static final long NO_SCAN = Long.MIN_VALUE;
    private static final long UNKNOWN_EXPECTED = -1;
    private static final long RETRY = -2;

    private final LocalPauseSink sink;
    private final LocalPauseLog clampLog;
    private final long minPauseNs;
    private final long maxPauseNs;
    // CAS: each gap is owned by exactly one scanner.
    private final AtomicLong previousScanNs = new AtomicLong(NO_SCAN);
    // CAS: the first scan far behind the latest, waiting for a second to confirm it; NO_SCAN when none.
    private final AtomicLong behindScanNs = new AtomicLong(NO_SCAN);
    // Atomic: racing owners never lose a count.
    private final AtomicLong pausesDetected = new AtomicLong();
    private final AtomicLong implausibleScans = new AtomicLong();
    // volatile: a heuristic shared by scanners on any thread; races only shift a borderline judgement.
    private volatile long expectedNs = UNKNOWN_EXPECTED;

    /**
     * Create a detector with no baseline and no upper bound on a pause. Any thread; share it through a safe
     * publication. Cuts pauses after a confirmed bad read only when {@code sink} is a {@link LocalPauseLog}.
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
        this(sink, sink instanceof LocalPauseLog ? (LocalPauseLog)sink : null, minPauseNs, Long.MAX_VALUE);
    }

    /**
     * Create a detector with no baseline. Any thread; share it through a safe publication.
     *
     * @param log        receiving the detected pauses, and cut after a confirmed bad read.
     * @param minPauseNs shortest gap that may be judged a pause, {@code > 0}, as above; also the most a
     *                   scan may lag the latest one and still count as late rather than implausible.
     * @param maxPauseNs longest gap that may be judged a pause, {@code >= minPauseNs}: a longer one is taken
     *                   for a bad clock read.
     * @throws IllegalArgumentException when {@code minPauseNs <= 0} or {@code maxPauseNs < minPauseNs}.
     * @throws NullPointerException     when {@code log} is null.
     */
    public ScanGapDetector(final LocalPauseLog log, final long minPauseNs, final long maxPauseNs)
    {
        this(log, log, minPauseNs, maxPauseNs);
    }

    private ScanGapDetector(
        final LocalPauseSink sink, final LocalPauseLog clampLog, final long minPauseNs, final long maxPauseNs)
    {
        if (minPauseNs <= 0)
        {
            throw new IllegalArgumentException("minPauseNs must be > 0: " + minPauseNs);
        }
        if (maxPauseNs < minPauseNs)
        {
            throw new IllegalArgumentException("maxPauseNs must be >= minPauseNs " + minPauseNs + ": " + maxPauseNs);
        }
        if (sink == null)
        {
            throw new NullPointerException("sink");
        }
        this.sink = sink;
        this.clampLog = clampLog;
        this.minPauseNs = minPauseNs;
        this.maxPauseNs = maxPauseNs;
    }

    /**
     * Note a scan at {@code nowNs} and judge the gap since the previous one, under the rules of the class
     * Javadoc for implausible times.
     *
     * <p>Any number of threads may call this at once (concurrent scanners share one schedule); lock-free and
     * allocation-free apart from what the sink does. The previous scan time moves by CAS: forward past a
     * plausible or implausible gap, back only on a confirmed bad read. A late caller changes nothing and
     * returns 0, and each gap is owned by exactly the one caller whose CAS moved it, so no gap is judged or
     * recorded twice.
     *
     * <p>{@code expected} is a heuristic, read and written with plain volatile accesses, not CAS: owners of
     * consecutive gaps racing on it may judge against an {@code expected} one gap older, and the later of two
     * racing writes wins even if it belongs to the earlier gap. Both only shift a borderline judgement; the
     * ownership of gaps, and so the absence of double recording, does not depend on it. The remembered
     * "far behind" scan is a heuristic too: a race may forget it or keep it one scan longer, which only
     * delays or repeats a baseline reset.
     *
     * @param nowNs time of this scan.
     * @return length of the pause recorded for the gap ending now, 0 when none (whether or not the sink
     * stored it), {@link #IMPLAUSIBLE} when the time is implausible (counted): a gap beyond
     * {@code maxPauseNs}, or a first scan far behind the latest.
     */
    public long onScan(final long nowNs)
    {
        if (nowNs == NO_SCAN)
        {
            return 0;
        }
        while (true)
        {
            final long previousNs = previousScanNs.get(); // volatile: the latest scan; the CAS re-checks it
            if (previousNs == NO_SCAN)
            {
                if (previousScanNs.compareAndSet(NO_SCAN, nowNs)) // CAS: one caller sets the baseline
                {
                    cutPausesAfter(nowNs);
                    return 0;
                }
            }
            else if (nowNs > previousNs)
            {
                if (previousScanNs.compareAndSet(previousNs, nowNs)) // CAS: this caller alone owns the gap
                {
                    forgetBehindScan();
                    final long pausedNs = judge(previousNs, nowNs);
                    if (pausedNs != IMPLAUSIBLE)
                    {
                        cutPausesAfter(nowNs); // after recording: the pause just recorded ends at nowNs
                    }
                    return pausedNs;
                }
            }
            else
            {
                final long behindNs = previousNs - nowNs; // negative when it overflows: far behind
                if (behindNs >= 0 && behindNs <= minPauseNs)
                {
                    cutPausesAfter(nowNs);
                    return 0; // late or repeated: another scanner owns this stretch
                }
                final long verdict = onFarBehind(previousNs, nowNs);
                if (verdict != RETRY)
                {
                    return verdict;
                }
            }
        }
    }

    private long judge(final long previousNs, final long nowNs)
    {
        final long gapNs = nowNs - previousNs;
        if (gapNs < 0 || gapNs > maxPauseNs) // negative: longer than a long
        {
            implausibleScans.getAndIncrement(); // atomic: racing owners never lose a count
            return IMPLAUSIBLE;
        }
        final long expected = expectedNs; // volatile read, see onScan's Javadoc
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
        expectedNs = gapNs; // volatile write: last writer wins, see onScan's Javadoc
        return 0;
    }

    /**
     * A scan far behind the latest: remember the first, act on a second that confirms it.
     *
     * @return {@link #IMPLAUSIBLE} for a reading not yet confirmed, 0 for a confirming one (the new baseline), or
     * {@link #RETRY} when the baseline moved meanwhile and the scan must be judged again.
     */
    private long onFarBehind(final long previousNs, final long nowNs)
    {
        final long firstNs = behindScanNs.get(); // volatile: the remembered scan; the CAS re-checks it
        if (firstNs == NO_SCAN || nowNs < firstNs)
        {
            // CAS: a racing vote may win instead; either is a valid first reading.
            behindScanNs.compareAndSet(firstNs, nowNs);
            implausibleScans.getAndIncrement(); // atomic, as above
            return IMPLAUSIBLE;
        }
        final long spanNs = nowNs - firstNs; // negative when it overflows: far apart
        if (spanNs >= 0 && spanNs < minPauseNs)
        {
            // Not yet confirmed: stale reads of scanners that stalled together lie within moments of each
            // other, while a clock that really runs behind the latest scan moves on.
            implausibleScans.getAndIncrement(); // atomic, as above
            return IMPLAUSIBLE;
        }
        if (!previousScanNs.compareAndSet(previousNs, nowNs)) // CAS: one caller moves the baseline back
        {
            return RETRY;
        }
        behindScanNs.compareAndSet(firstNs, NO_SCAN); // CAS: keep a newer first reading
        implausibleScans.getAndIncrement(); // atomic, as above
        if (clampLog != null)
        {
            // Two reads, firstNs <= nowNs, agree that the time is nowNs and the process ran at firstNs.
            clampLog.clampEndsAfter(nowNs, firstNs);
        }
        return 0;
    }

    /** A plausible scan saw the process run at {@code nowNs}: no pause may reach past it. */
    private void cutPausesAfter(final long nowNs)
    {
        if (clampLog != null)
        {
            clampLog.clampEndsAfter(nowNs, nowNs); // one volatile read unless a pause ends after nowNs
        }
    }

    private void forgetBehindScan()
    {
        if (behindScanNs.get() != NO_SCAN) // volatile read first: no write on the common path
        {
            behindScanNs.set(NO_SCAN); // volatile: a racing first reading may be lost, see onScan
        }
    }

    /**
     * Pauses detected since construction; any thread, volatile read.
     *
     * @return detected pauses.
     */
    public long pausesDetected()
    {
        return pausesDetected.get();
    }

    /**
     * Scans whose time was implausible (see the class Javadoc): a gap beyond {@code maxPauseNs}, or a time
     * more than {@code minPauseNs} before the latest scan. Any thread, volatile read.
     *
     * @return implausible scans since construction.
     */
    public long implausibleScanCount()
    {
        return implausibleScans.get();
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

    /**
     * Immutable; any thread.
     *
     * @return longest gap that may be judged a pause.
     */
    public long maxPauseNs()
    {
        return maxPauseNs;
    }
}
