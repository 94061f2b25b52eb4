package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The idle peer of request-driven traffic: 200 round trips at 1 ms, then no calls, then scans at +100 ms, +1 s and +10 s.
 * Plain φ reports it DOWN; idle-aware φ reports nothing, and still takes a peer that leaves a request
 * unanswered to SUSPECT then DOWN.
 */
class IdlePeerPhiTest
{
    static final long SITE = 42;
    static final long MS = 1_000_000L;
    static final long START = 5_000_000_000L; // far from System.nanoTime(): no GC feed

    static RttTracker tracker(final boolean idleAware)
    {
        return RttTracker.builder().siteCapacity(16).historyCapacity(1000).localPauseAwareness(false)
            .idleAwarePhi(idleAware).build();
    }

    /** 200 round trips of 0.8 ms, one every 1 ms; returns the time of the last one. */
    static long warm(final RttTracker tracker)
    {
        long now = START;
        for (int i = 0; i < 200; i++)
        {
            now += MS;
            final long ticket = tracker.requestStarted(SITE, now - 800_000);
            tracker.observeRoundTrip(SITE, 800_000, now);
            tracker.requestEnded(ticket, now);
        }
        return now;
    }

    static List<String> scans(final RttTracker tracker, final long... times)
    {
        final List<String> reported = new ArrayList<>();
        for (final long t : times)
        {
            tracker.scanPhi(t, (site, state, phi) -> reported.add(site + " " + state));
        }
        return reported;
    }

    @Test
    void shouldReportAnIdlePeerDownWithPlainPhi()
    {
        try (RttTracker tracker = tracker(false))
        {
            final long last = warm(tracker);

            assertThat(scans(tracker, last + 100 * MS, last + 1_000 * MS, last + 10_000 * MS))
                .containsExactly(SITE + " DOWN");
            assertThat(tracker.phi(SITE, last + 100 * MS)).isGreaterThan(PhiAccrual.DEFAULT_DOWN_PHI);
        }
    }

    @Test
    void shouldKeepAnIdlePeerLiveWithIdleAwarePhi()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);

            assertThat(scans(tracker, last + 100 * MS, last + 1_000 * MS, last + 10_000 * MS)).isEmpty();
            assertThat(tracker.phi(SITE, last + 10_000 * MS)).isZero();
            final SiteView view = new SiteView();
            tracker.readSite(SITE, view);
            assertThat(view.outstandingRequests()).isZero();
            assertThat(view.lastPhiState()).isEqualTo(PhiState.LIVE);
        }
    }

    @Test
    void shouldTakeAPeerWithAnUnansweredRequestToSuspectThenDownCountingFromTheSend()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long sent = last + 10_000 * MS; // idle for 10 s first: that silence must not count
            assertThat(tracker.requestStarted(SITE, sent)).isNotEqualTo(RttTracker.NO_TICKET);

            assertThat(tracker.phi(SITE, sent + 20 * MS)).isCloseTo(20.0 / PhiAccrual.LN_10, within(1e-9));
            assertThat(scans(tracker, sent + 20 * MS, sent + 40 * MS)).containsExactly(SITE + " SUSPECT", SITE + " DOWN");
        }
    }

    @Test
    void shouldKeepCountingFromTheFirstUnansweredSendWhileSendsContinue()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long first = last + 5_000 * MS;
            for (int i = 0; i < 40; i++)
            {
                tracker.requestStarted(SITE, first + i * MS); // a dead peer: none answered, none ended yet
            }

            // From the first send, not the latest: 40 ms of silence, not 1.
            assertThat(tracker.phi(SITE, first + 40 * MS)).isCloseTo(40.0 / PhiAccrual.LN_10, within(1e-9));
            assertThat(tracker.isDown(SITE, first + 40 * MS)).isTrue();
        }
    }

    @Test
    void shouldHoldTheSilenceOfUnansweredRequestsWhileIdleAndDropItOnAnAnswer()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long a = tracker.requestStarted(SITE, last + MS);
            final long b = tracker.requestStarted(SITE, last + 2 * MS);
            tracker.requestEnded(a, last + 5 * MS);
            assertThat(tracker.phi(SITE, last + 31 * MS)).isCloseTo(30.0 / PhiAccrual.LN_10, within(1e-9));

            tracker.requestEnded(b, last + 31 * MS); // timed out: ended without an answer

            // Held, not growing, while nothing is outstanding: 30 ms of unanswered waiting.
            assertThat(tracker.phi(SITE, last + 10_000 * MS)).isCloseTo(30.0 / PhiAccrual.LN_10, within(1e-9));
            final long c = tracker.requestStarted(SITE, last + 20_000 * MS); // and carried into the next call
            assertThat(tracker.phi(SITE, last + 20_010 * MS)).isCloseTo(40.0 / PhiAccrual.LN_10, within(1e-9));
            tracker.observeRoundTrip(SITE, 10 * MS, last + 20_010 * MS);
            tracker.requestEnded(c, last + 20_010 * MS);

            assertThat(tracker.phi(SITE, last + 30_000 * MS)).isZero(); // answered: nothing carried
        }
    }

    @Test
    void shouldTakeADeadPeerDownWhenEachCallTimesOutBeforeTheNext()
    {
        try (RttTracker tracker = tracker(true); RttTracker plain = tracker(false))
        {
            final long last = warm(tracker);
            warm(plain);
            final List<String> reported = new ArrayList<>();
            long now = last + 10_000 * MS; // idle first: that silence never counts
            for (int call = 0; call < 30; call++)
            {
                now += 100 * MS; // a call every 100 ms, each timed out after 2 ms, none answered
                final long ticket = tracker.requestStarted(SITE, now);
                tracker.requestEnded(ticket, now + 2 * MS);
                tracker.scanPhi(now + 50 * MS, (site, state, phi) -> reported.add(state.name()));
                assertThat(tracker.phi(SITE, now + 50 * MS)).isLessThanOrEqualTo(plain.phi(SITE, now + 50 * MS));
            }

            // 2 ms of unanswered waiting per call: SUSPECT at 10 calls (20 ms), DOWN at 19 (38 ms), held between.
            assertThat(reported).containsExactly("SUSPECT", "DOWN");
            assertThat(tracker.phi(SITE, now + 50 * MS)).isCloseTo(60.0 / PhiAccrual.LN_10, within(1e-9));
        }
    }

    @Test
    void shouldKeepAHealthyPeerWithAnOccasionalTimeoutLive()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long lost = tracker.requestStarted(SITE, last + MS);
            tracker.requestEnded(lost, last + 3 * MS); // one timeout of 2 ms

            assertThat(scans(tracker, last + 100 * MS, last + 10_000 * MS)).isEmpty();
            assertThat(tracker.phi(SITE, last + 10_000 * MS)).isCloseTo(2.0 / PhiAccrual.LN_10, within(1e-9));
        }
    }

    @Test
    void shouldNeverExceedPlainPhi()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        try (RttTracker idle = tracker(true); RttTracker plain = tracker(false))
        {
            final long last = warm(idle);
            warm(plain);
            long now = last;
            final long[] open = new long[64];
            int opened = 0;
            for (int step = 0; step < 20_000; step++)
            {
                now += random.nextLong(1, 5 * MS);
                final int action = random.nextInt(10);
                if (action < 4 && opened < open.length)
                {
                    open[opened++] = idle.requestStarted(SITE, now);
                }
                else if (action < 7 && opened > 0)
                {
                    idle.requestEnded(open[--opened], now);
                }
                else if (action == 7)
                {
                    idle.observeRoundTrip(SITE, MS, now);
                    plain.observeRoundTrip(SITE, MS, now);
                }
                final long at = now + random.nextLong(0, 50 * MS);
                assertThat(idle.phi(SITE, at)).isLessThanOrEqualTo(plain.phi(SITE, at));
            }
        }
    }

    @Test
    void shouldNotMarkWithPlainPhiNorForAnUntrackedSite()
    {
        try (RttTracker plain = tracker(false); RttTracker idle = tracker(true))
        {
            warm(plain);
            assertThat(plain.requestStarted(SITE, START)).isEqualTo(RttTracker.NO_TICKET);
            assertThat(idle.requestStarted(SITE, START)).isEqualTo(RttTracker.NO_TICKET); // never answered: φ 0 anyway
            idle.requestEnded(RttTracker.NO_TICKET, START);
            assertThat(idle.rejectedSampleCount()).isZero();
        }
    }

    @Test
    void shouldCountAndDropABadTicketOrTime()
    {
        try (RttTracker tracker = tracker(true))
        {
            warm(tracker);
            tracker.requestEnded(0x7FFF_FFFFL, START); // no such record
            assertThat(tracker.requestStarted(SITE, -1)).isEqualTo(RttTracker.NO_TICKET);

            assertThat(tracker.rejectedSampleCount()).isEqualTo(2);
        }
    }

    @Test
    void shouldResetTheMarkerWhenTheSiteIsEvictedAndIgnoreTheOldTicket()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long stale = tracker.requestStarted(SITE, last + MS);
            tracker.requestStarted(SITE, last + MS);
            assertThat(tracker.evictSite(SITE)).isTrue();
            tracker.observeRoundTrip(SITE, 800_000, last + 2 * MS); // the same record, a new occupant
            tracker.observeRoundTrip(SITE, 800_000, last + 3 * MS);

            tracker.requestEnded(stale, last + 4 * MS);

            final SiteView view = new SiteView();
            tracker.readSite(SITE, view);
            assertThat(view.outstandingRequests()).isZero();
            assertThat(tracker.phi(SITE, last + 1_000 * MS)).isZero();
        }
    }

    @Test
    void shouldKeepASiteWithARequestOutstandingThroughAnIdleSweepAndEvictItOnceItEnded()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final long ticket = tracker.requestStarted(SITE, last + MS);

            assertThat(tracker.evictIdle(last + 60_000 * MS, 1_000 * MS)).isZero();
            assertThat(tracker.readSite(SITE, new SiteView())).isTrue();
            assertThat(tracker.isDown(SITE, last + 60_000 * MS)).isTrue(); // still waited on, so still judged

            tracker.requestEnded(ticket, last + 60_000 * MS);
            assertThat(tracker.evictIdle(last + 60_001 * MS, 1_000 * MS)).isEqualTo(1);
            assertThat(tracker.readSite(SITE, new SiteView())).isFalse();
        }
    }

    @Test
    void shouldRepairACountLeftBelowZeroByAnEvictionRaceAtTheNextSend()
    {
        try (RttTracker tracker = tracker(true))
        {
            final long last = warm(tracker);
            final int recordOffset = tracker.tables().sites().recordOffset(
                ai.bytesandbrains.rtt.internal.RecordTable.record(tracker.tables().sites().find(SITE, 0, 0)));
            tracker.buffer().putLongVolatile(recordOffset + OutstandingRequests.COUNT_OFFSET, -1); // as a race leaves it

            tracker.requestStarted(SITE, last + MS);

            assertThat(OutstandingRequests.countVolatile(tracker.buffer(), recordOffset)).isEqualTo(1);
            assertThat(tracker.phi(SITE, last + 21 * MS)).isCloseTo(20.0 / PhiAccrual.LN_10, within(1e-9));
        }
    }
}
