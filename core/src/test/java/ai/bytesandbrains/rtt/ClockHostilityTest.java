package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Time values from outside (a bad clock read, a backwards clock, garbage pauses) against the φ detector
 * with local-pause awareness on: heartbeats and scans every 100 ms on a simulated clock, then one hostile
 * value, then a peer dies. The peer must be reported in the normal time: φ 8 after 1.84 s of silence and
 * φ 16 after 3.68 s, give or take one scan interval and {@code localPauseMinNs} (500 ms): the most a
 * pause recorded from a bad future read can still explain, when the good reads after it come within
 * {@code localPauseMinNs} of it before a backwards clock is confirmed.
 */
class ClockHostilityTest
{
    private static final long MS = 1_000_000L;
    private static final long START = 1L << 40; // a simulated clock: far from any nanoTime, not near a limit
    private static final long SITE = 7;
    private static final long DEAD_SITE = 8;

    private record Transition(long site, PhiState state, long atNs, double phi)
    {
    }

    private final List<Transition> seen = new ArrayList<>();

    private static RttTracker tracker()
    {
        return RttTracker.builder().historyCapacity(100).build();
    }

    private int scan(final RttTracker tracker, final long now)
    {
        return tracker.scanPhi(now, (site, state, phi) ->
        {
            assertThat(phi).isFinite().isNotNegative();
            seen.add(new Transition(site, state, now, phi));
        });
    }

    /** Ten seconds of heartbeats from both sites and scans every 100 ms; returns the last scan time. */
    private long steadyTraffic(final RttTracker tracker, final long from)
    {
        long now = from;
        for (int i = 0; i < 100; i++)
        {
            now += 100 * MS;
            tracker.observeRoundTrip(SITE, 2 * MS, now);
            tracker.observeRoundTrip(DEAD_SITE, 2 * MS, now);
            scan(tracker, now);
        }
        return now;
    }

    /** From {@code last}, only SITE keeps sending, for {@code seconds}; returns the time reached. */
    private long deadSiteSilent(final RttTracker tracker, final long last, final int seconds)
    {
        long now = last;
        for (int i = 0; i < seconds * 10; i++)
        {
            now += 100 * MS;
            tracker.observeRoundTrip(SITE, 2 * MS, now);
            scan(tracker, now);
        }
        return now;
    }

    private void assertDeadSiteReportedInTheNormalTime(final long lastHeartbeat)
    {
        assertThat(seen).extracting(Transition::site, Transition::state)
            .containsExactly(tuple(DEAD_SITE, PhiState.SUSPECT), tuple(DEAD_SITE, PhiState.DOWN));
        assertThat(seen.get(0).atNs() - lastHeartbeat).isLessThanOrEqualTo(2_400 * MS);
        assertThat(seen.get(1).atNs() - lastHeartbeat).isLessThanOrEqualTo(4_200 * MS);
    }

    @ParameterizedTest(name = "future read {0} ms ahead")
    @ValueSource(longs = {Long.MAX_VALUE, 3_600_000, 59_000, 30_000, 1_000})
    void shouldReportAPeerThatDiesAfterOneFarFutureScan(final long aheadMs)
    {
        try (RttTracker tracker = tracker())
        {
            final long last = steadyTraffic(tracker, START);
            final long bad = aheadMs == Long.MAX_VALUE ? Long.MAX_VALUE : last + aheadMs * MS;

            scan(tracker, bad); // one bad clock read, then the peer dies right after its last heartbeat
            final long end = deadSiteSilent(tracker, last, 60);

            assertDeadSiteReportedInTheNormalTime(last);
            assertThat(tracker.phi(DEAD_SITE, end)).isFinite().isGreaterThan(100.0);
            assertThat(tracker.phi(SITE, end)).isLessThan(1.0);
        }
    }

    @Test
    void shouldCountAnImplausibleScanAndReportNothingFromIt()
    {
        try (RttTracker tracker = tracker())
        {
            final long last = steadyTraffic(tracker, START);

            assertThat(scan(tracker, Long.MAX_VALUE)).isZero(); // every peer "silent" for 2^63 ns: not a verdict
            assertThat(seen).isEmpty();
            assertThat(tracker.implausibleScanCount()).isEqualTo(1);
            assertThat(tracker.localPauseCount()).isZero();
            assertThat(tracker.phi(SITE, Long.MAX_VALUE)).isFinite().isPositive();
            assertThat(tracker.phi(SITE, last)).isZero();
        }
    }

    @Test
    void shouldKeepPhiFiniteAndTheDetectorWorkingAfterHostileTimes()
    {
        try (RttTracker tracker = tracker())
        {
            final long last = steadyTraffic(tracker, START);
            final long rejectedBefore = tracker.rejectedSampleCount();

            for (final long hostile : new long[]{Long.MIN_VALUE, -1, Long.MAX_VALUE, 0, last - 5_000 * MS, Long.MAX_VALUE})
            {
                scan(tracker, hostile);
                assertThat(tracker.phi(SITE, hostile)).isFinite().isNotNegative();
                assertThat(tracker.phi(DEAD_SITE, hostile)).isFinite().isNotNegative();
            }
            // MIN_VALUE and -1: the scan and both phi calls each
            assertThat(tracker.rejectedSampleCount() - rejectedBefore).isEqualTo(6);
            assertThat(tracker.implausibleScanCount()).isPositive();
            assertThat(seen).isEmpty();

            // Back on schedule, then a real 5 s stall of this process: still detected and discounted.
            final long resumed = steadyTraffic(tracker, last);
            final long pausesBefore = tracker.localPauseCount();
            final long afterStall = resumed + 5_000 * MS;
            scan(tracker, afterStall);
            assertThat(tracker.localPauseCount()).isEqualTo(pausesBefore + 1);
            assertThat(seen).isEmpty();

            // And a peer that dies later is reported in the normal time (20 s of traffic first, so that the
            // 5 s inter-arrival time across the stall has left the 100-sample history).
            final long back = steadyTraffic(tracker, steadyTraffic(tracker, afterStall));
            deadSiteSilent(tracker, back, 10);
            assertDeadSiteReportedInTheNormalTime(back);
        }
    }

    @Test
    void shouldNotLetAReportedPauseEndingInTheFutureHideAPeerThatDies()
    {
        try (RttTracker tracker = tracker())
        {
            final long last = steadyTraffic(tracker, START);

            assertThat(tracker.recordLocalPause(last, last + 50_000 * MS)).isTrue(); // ends 50 s from now
            assertThat(tracker.recordLocalPause(0, Long.MAX_VALUE)).isFalse();       // longer than 60 s
            assertThat(tracker.recordLocalPause(last, last + 61_000 * MS)).isFalse();
            assertThat(tracker.rejectedLocalPauseCount()).isEqualTo(2);

            final long end = deadSiteSilent(tracker, last, 70); // past the end the pause claimed, too

            assertDeadSiteReportedInTheNormalTime(last); // and never LIVE again when 50 s are reached
            assertThat(tracker.cutLocalPauseCount()).isEqualTo(1);
            assertThat(tracker.locallyPausedNsWithin(last, end)).isLessThanOrEqualTo(100 * MS);
        }
    }

    @Test
    void shouldTreatAScanSlightlyBehindAsLateAndOneFarBehindAsImplausible()
    {
        try (RttTracker tracker = tracker())
        {
            final long last = steadyTraffic(tracker, START);

            scan(tracker, last - 100 * MS); // a concurrent scanner that read its clock earlier
            assertThat(tracker.implausibleScanCount()).isZero();
            assertThat(tracker.phi(SITE, last - 100 * MS)).isZero(); // before the last heartbeat: no silence

            assertThat(scan(tracker, last - 5_000 * MS)).isZero(); // a backwards clock: counted, muted
            assertThat(tracker.implausibleScanCount()).isEqualTo(1);

            final long end = steadyTraffic(tracker, last); // the latest scan's clock goes on: forgotten
            assertThat(tracker.implausibleScanCount()).isEqualTo(1);
            assertThat(tracker.localPauseCount()).isZero();
            assertThat(tracker.phi(SITE, end)).isLessThan(1.0);
            assertThat(seen).isEmpty();
        }
    }
}
