package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;

import static ai.bytesandbrains.rtt.pause.ScanGapDetector.IMPLAUSIBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The detector against scan times from outside: far ahead, far behind, stale, garbage. */
class ScanGapDetectorTimesTest
{
    private static final long MS = 1_000_000L;
    private static final long MIN_PAUSE = 500 * MS;
    private static final long MAX_PAUSE = 60_000 * MS;

    private final LocalPauseLog log = new LocalPauseLog(64, MAX_PAUSE);
    private final ScanGapDetector detector = new ScanGapDetector(log, MIN_PAUSE, MAX_PAUSE);

    /** Scans every 100 ms from 0 to {@code untilMs}; returns the last time. */
    private long regular(final long fromMs, final long untilMs)
    {
        for (long ms = fromMs; ms <= untilMs; ms += 100)
        {
            assertThat(detector.onScan(ms * MS)).isZero();
        }
        return untilMs * MS;
    }

    @Test
    void shouldTakeAGapBeyondTheBoundForABadReadNotAPause()
    {
        final long last = regular(0, 1_000);

        assertThat(detector.onScan(last + MAX_PAUSE + 1)).isEqualTo(IMPLAUSIBLE);
        assertThat(detector.onScan(Long.MAX_VALUE)).isEqualTo(IMPLAUSIBLE);

        assertThat(log.recordedCount()).isZero();
        assertThat(detector.implausibleScanCount()).isEqualTo(2);
        assertThat(detector.expectedNs()).isEqualTo(100 * MS); // not learned
    }

    @Test
    void shouldStillRecordAStallUpToTheBound()
    {
        final long last = regular(0, 1_000);

        assertThat(detector.onScan(last + MAX_PAUSE)).isEqualTo(MAX_PAUSE - 100 * MS);
        assertThat(detector.implausibleScanCount()).isZero();
    }

    @Test
    void shouldMuteAFarBehindScanUntilALaterOneConfirmsTheClockThenCutTheBadPause()
    {
        final long last = regular(0, 1_000);
        final long bad = last + 30_000 * MS;
        assertThat(detector.onScan(bad)).isEqualTo(30_000 * MS - 100 * MS); // recorded from the bad read

        long now = last;
        for (int i = 0; i < 5; i++) // 100..500 ms after: far behind the bad read, not yet confirmed
        {
            now += 100 * MS;
            assertThat(detector.onScan(now)).isEqualTo(IMPLAUSIBLE);
        }
        assertThat(detector.implausibleScanCount()).isEqualTo(5);
        now += 100 * MS; // 500 ms after the first far-behind read: the clock really runs here
        assertThat(detector.onScan(now)).isZero();

        assertThat(detector.implausibleScanCount()).isEqualTo(6);
        assertThat(log.clampedCount()).isEqualTo(1);
        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isZero(); // cut at last + 100 ms, its start
        assertThat(detector.onScan(now + 100 * MS)).isZero(); // back on schedule
        assertThat(detector.onScan(now + 5_000 * MS)).isPositive(); // and stalls are detected again
    }

    @Test
    void shouldNotResetOnStaleReadsThatLieWithinMomentsOfEachOther()
    {
        final long last = regular(0, 1_000);
        final long resumed = last + 5_000 * MS; // a real stall, seen by one scanner
        assertThat(detector.onScan(resumed)).isEqualTo(4_900 * MS);

        // Three scanners that read their clocks just before the stall call only now.
        assertThat(detector.onScan(last + MS)).isEqualTo(IMPLAUSIBLE);
        assertThat(detector.onScan(last + 2 * MS)).isEqualTo(IMPLAUSIBLE);
        assertThat(detector.onScan(last + 3 * MS)).isEqualTo(IMPLAUSIBLE);

        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(4_900 * MS); // kept whole
        assertThat(detector.onScan(resumed + 100 * MS)).isZero(); // the schedule goes on from the stall
        assertThat(log.clampedCount()).isZero();
    }

    @Test
    void shouldCutAPauseThatReachesPastALaterScan()
    {
        final long last = regular(0, 1_000);
        log.record(last, last + 50_000 * MS); // reported, ending 50 s from now

        assertThat(detector.onScan(last + 100 * MS)).isZero();

        assertThat(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(100 * MS);
        assertThat(log.clampedCount()).isEqualTo(1);
    }

    @Test
    void shouldLetALateScanBeButCutWhatReachesPastIt()
    {
        final long last = regular(0, 1_000);

        assertThat(detector.onScan(last - 100 * MS)).isZero();     // late: within minPause of the latest
        assertThat(detector.onScan(last - MIN_PAUSE)).isZero();
        assertThat(detector.implausibleScanCount()).isZero();
        assertThat(detector.onScan(last - MIN_PAUSE - 1)).isEqualTo(IMPLAUSIBLE);
        assertThat(detector.onScan(Long.MIN_VALUE + 1)).isEqualTo(IMPLAUSIBLE); // distance overflows a long
        assertThat(detector.implausibleScanCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAMaximumBelowTheMinimum()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanGapDetector(log, 10, 9))
            .withMessageContaining("maxPauseNs");
    }
}
