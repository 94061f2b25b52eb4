package ai.bytesandbrains.rtt;


import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EvictionTest
{
    private static final long CHAIN = ChainIds.fromTargets("a,b");
    private static final long OTHER_CHAIN = ChainIds.fromTargets("c,d");
    private static final long STATIC_DEFAULT = 123_456_789;

    private final RttTracker tracker = RttTracker.builder()
        .siteCapacity(4)
        .edgeCapacity(8)
        .chainCapacity(4)
        .reportedCapacity(4)
        .historyCapacity(8)
        .localPauseAwareness(false)
        .build();

    private void warm(final long site, final long elapsed, final long firstNow)
    {
        for (int i = 0; i < 5; i++)
        {
            tracker.observeRoundTrip(site, CHAIN, 1, elapsed, firstNow + i * 1_000_000L);
        }
    }

    @Test
    void shouldRemoveASiteWithItsEdgesAndReportsAndKeepThePriors()
    {
        warm(1, 10_000, 0);
        warm(2, 20_000, 0);
        tracker.observeRoundTrip(1, OTHER_CHAIN, 0, 10_000, 9_000_000);
        tracker.ingestReportedOutgoing(1, 2, CHAIN, 5_000, 1_000, 9);
        tracker.ingestReportedOutgoing(2, 1, CHAIN, 6_000, 1_000, 9);
        final EmaView chainBefore = new EmaView();
        tracker.readChainPrior(CHAIN, chainBefore);
        final long chainWord = chainBefore.word();
        final long globalWord = tracker.readGlobalPrior(new EmaView()).word();

        assertThat(tracker.evictSite(1)).isTrue();

        final EmaView view = new EmaView();
        assertThat(tracker.readSite(1, new SiteView())).isFalse();
        assertThat(tracker.readEdge(1, CHAIN, 1, view)).isFalse();
        assertThat(tracker.readEdge(1, OTHER_CHAIN, 0, view)).isFalse();
        assertThat(tracker.readReported(1, 2, CHAIN, view)).isFalse();
        assertThat(tracker.readSite(2, new SiteView())).isTrue();
        assertThat(tracker.readEdge(2, CHAIN, 1, view)).isTrue();
        assertThat(tracker.readReported(2, 1, CHAIN, view)).isTrue();
        assertThat(tracker.readChainPrior(CHAIN, view)).isTrue();
        assertThat(view.word()).isEqualTo(chainWord);
        assertThat(tracker.readGlobalPrior(view).word()).isEqualTo(globalWord);
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
        assertThat(tracker.evictedSiteCount()).isEqualTo(1);
        assertThat(tracker.evictedEdgeCount()).isEqualTo(2);
        assertThat(tracker.evictedReportCount()).isEqualTo(1);
        assertThat(tracker.evictSite(1)).isFalse();
        assertThat(tracker.evictSite(99)).isFalse();
        assertThat(tracker.evictedSiteCount()).isEqualTo(1);
    }

    @Test
    void shouldAnswerForAnEvictedSiteAsForOneNeverTracked()
    {
        warm(1, 10_000, 0);
        final long chainBudget = tracker.estimateBudgetNs(42, CHAIN, 1, STATIC_DEFAULT); // answered by the chain prior
        final long globalBudget = tracker.estimateBudgetNs(42, STATIC_DEFAULT);
        tracker.evictSite(1);

        assertThat(tracker.estimateBudgetNs(1, CHAIN, 1, STATIC_DEFAULT)).isEqualTo(chainBudget);
        assertThat(tracker.estimateBudgetNs(1, STATIC_DEFAULT)).isEqualTo(globalBudget);
        assertThat(tracker.phi(1, Long.MAX_VALUE)).isZero();
        assertThat(tracker.isDown(1, Long.MAX_VALUE)).isFalse();
        assertThat(tracker.scanPhi(Long.MAX_VALUE / 2, (site, state, phi) -> { })).isZero();
        assertThat(tracker.snapshot().site(1)).isEmpty();
        assertThat(tracker.forEachTrackedSite(site -> { })).isZero();
    }

    @Test
    void shouldStartAnEvictedSiteAfreshWhenItComesBack()
    {
        warm(1, 10_000, 0);
        tracker.scanPhi(1_000_000_000_000L, (site, state, phi) -> { }); // DOWN remembered
        tracker.evictSite(1);

        tracker.observeRoundTrip(1, 77_000, 5_000_000_000_000L);

        final SiteView view = new SiteView();
        assertThat(tracker.readSite(1, view)).isTrue();
        assertThat(view.sampleCount()).isEqualTo(1);
        assertThat(view.srttNs()).isEqualTo(77_000);
        assertThat(view.rttvarNs()).isEqualTo(38_500);
        assertThat(view.historyLength()).isZero();
        assertThat(view.lastSeenNs()).isEqualTo(5_000_000_000_000L);
        assertThat(view.lastPhiState()).isEqualTo(PhiState.LIVE);
        assertThat(tracker.readEdge(1, CHAIN, 1, new EmaView())).isFalse();
    }

    @Test
    void shouldGiveAReusedRecordToAnotherSiteWithNothingOfTheOld()
    {
        for (long site = 1; site <= 4; site++)
        {
            warm(site, site * 10_000, 0);
        }
        assertThat(tracker.observeRoundTrip(5, 5_000, 0)).isTrue();
        assertThat(tracker.siteOverflowCount()).isEqualTo(1);
        tracker.evictSite(3);

        tracker.observeRoundTrip(5, 5_000, 100);

        final RttTrackerSnapshot.Site fresh = tracker.snapshot().site(5).orElseThrow();
        assertThat(fresh.ema().sampleCount()).isEqualTo(1);
        assertThat(fresh.ema().srttNs()).isEqualTo(5_000);
        assertThat(fresh.historyLength()).isZero();
        assertThat(fresh.historyNs()).isEmpty();
        assertThat(fresh.lastSeenNs()).isEqualTo(100);
        assertThat(tracker.trackedSiteCount()).isEqualTo(4);
    }

    @Test
    void shouldEvictExactlyTheSitesIdleForAtLeastTheGivenTime()
    {
        tracker.observeRoundTrip(1, 1_000, 100);
        tracker.observeRoundTrip(2, CHAIN, 0, 1_000, 200);
        tracker.ingestReportedOutgoing(3, 1, CHAIN, 1_000, 100, 3); // never seen: no time to judge
        tracker.observeRoundTrip(4, 1_000, 300);

        assertThat(tracker.evictIdle(1_200, 1_000)).isEqualTo(2); // 1 (idle 1100) and 2 (idle 1000)
        final SiteView view = new SiteView();
        assertThat(tracker.readSite(1, view)).isFalse();
        assertThat(tracker.readSite(2, view)).isFalse();
        assertThat(tracker.readSite(3, view)).isTrue();
        assertThat(tracker.readSite(4, view)).isTrue(); // idle 900
        assertThat(tracker.readEdge(2, CHAIN, 0, new EmaView())).isFalse();
        assertThat(tracker.readReported(3, 1, CHAIN, new EmaView())).isTrue();
        assertThat(tracker.evictedSiteCount()).isEqualTo(2);
        assertThat(tracker.evictedEdgeCount()).isEqualTo(1);
    }

    @Test
    void shouldRemoveEdgesAndReportsOfUntrackedSitesOnAnIdleSweep()
    {
        for (long site = 1; site <= 4; site++)
        {
            tracker.observeRoundTrip(site, 1_000, 10_000);
        }
        tracker.observeRoundTrip(9, CHAIN, 2, 1_000, 10_000); // the site table is full: only the edge is kept
        assertThat(tracker.readEdge(9, CHAIN, 2, new EmaView())).isTrue();

        assertThat(tracker.evictIdle(10_000, 1_000_000)).isZero();

        assertThat(tracker.readEdge(9, CHAIN, 2, new EmaView())).isFalse();
        assertThat(tracker.evictedEdgeCount()).isEqualTo(1);
    }

    @Test
    void shouldCountAndIgnoreNegativeTimesOnAnIdleSweep()
    {
        tracker.observeRoundTrip(1, 1_000, 100);
        assertThat(tracker.evictIdle(-1, 0)).isZero();
        assertThat(tracker.evictIdle(1_000, -5)).isZero();
        assertThat(tracker.rejectedSampleCount()).isEqualTo(2);
        assertThat(tracker.trackedSiteCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseEvictionAfterClose()
    {
        tracker.close();
        assertThatIllegalStateException().isThrownBy(() -> tracker.evictSite(1));
        assertThatIllegalStateException().isThrownBy(() -> tracker.evictIdle(1, 1));
        assertThatIllegalStateException().isThrownBy(tracker::evictedSiteCount);
    }

    /**
     * Observers, an evictor and a reader race over a table smaller than the set of sites. Every site
     * always sends the same round-trip time, so an EMA that ever holds another value would prove a write
     * or read crossed from one occupant of a record to the next.
     */
    @RepeatedTest(3)
    void shouldNeverMixOccupantsWhileObserversEvictorsAndReadersRace() throws Exception
    {
        final int capacity = 16;
        final int siteCount = 48;
        final RttTracker shared = RttTracker.builder()
            .siteCapacity(capacity)
            .edgeCapacity(2 * capacity)
            .chainCapacity(4)
            .reportedCapacity(capacity)
            .historyCapacity(8)
            .localPauseAwareness(false)
            .build();
        final AtomicLong clock = new AtomicLong(1);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Map<String, AtomicLong> tally = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 2; t++)
        {
            final int seed = t;
            threads.add(new Thread(() -> run(start, stop, failure, () ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                while (!stop.get())
                {
                    final long site = random.nextInt(siteCount);
                    shared.observeRoundTrip(site, CHAIN, (int)(site & 3), elapsedOf(site), clock.incrementAndGet());
                    if ((site & 7) == 0)
                    {
                        shared.ingestReportedOutgoing(site, site + 1, CHAIN, elapsedOf(site), 0, 1);
                    }
                }
            })));
        }
        threads.add(new Thread(() -> run(start, stop, failure, () ->
        {
            final SplittableRandom random = new SplittableRandom(7);
            while (!stop.get())
            {
                if (random.nextBoolean())
                {
                    tally.computeIfAbsent("evictSite", k -> new AtomicLong())
                        .addAndGet(shared.evictSite(random.nextInt(siteCount)) ? 1 : 0);
                }
                else
                {
                    tally.computeIfAbsent("evictIdle", k -> new AtomicLong())
                        .addAndGet(shared.evictIdle(clock.get(), 200));
                }
            }
        })));
        threads.add(new Thread(() -> run(start, stop, failure, () ->
        {
            final SplittableRandom random = new SplittableRandom(11);
            final SiteView view = new SiteView();
            final EmaView ema = new EmaView();
            while (!stop.get())
            {
                final long site = random.nextInt(siteCount);
                if (shared.readSite(site, view))
                {
                    assertThat(view.site()).isEqualTo(site);
                    assertOwn(view.word(), view.srttNs(), site);
                    tally.computeIfAbsent("reads", k -> new AtomicLong()).incrementAndGet();
                }
                if (shared.readEdge(site, CHAIN, (int)(site & 3), ema))
                {
                    assertOwn(ema.word(), ema.srttNs(), site);
                }
                final long budget = shared.estimateBudgetNs(site, STATIC_DEFAULT);
                assertThat(budget == STATIC_DEFAULT || budget > 0).isTrue();
                assertThat(shared.phi(site, clock.get())).isNotNegative().isNotNaN();
                shared.forEachSite(view, v -> assertOwn(v.word(), v.srttNs(), v.site()));
            }
        })));
        threads.forEach(Thread::start);
        start.countDown();
        TimeUnit.MILLISECONDS.sleep(1_500);
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(30_000);
            assertThat(thread.isAlive()).as("%s still running 30 s after stop", thread.getName()).isFalse();
        }
        assertThat(failure.get()).isNull();
        assertThat(shared.evictedSiteCount()).isPositive();
        assertThat(tally.get("reads").get()).isPositive();

        // Quiescent: every table accounts for each record once, and every site's state is its own.
        final RecordTable sites = shared.tables().sites();
        final RecordTable edges = shared.tables().edges();
        assertThat(sites.size() + sites.freeCount()).isEqualTo(capacity);
        assertThat(edges.size() + edges.freeCount()).isEqualTo(2 * capacity);
        final RttTrackerSnapshot snapshot = shared.snapshot();
        assertThat(snapshot.sites()).hasSize((int)sites.size());
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            assertOwn(site.ema().sampleCount() == 0 ? 0 : 1, site.ema().srttNs(), site.site());
            final long sum = site.historyNs().stream().mapToLong(Long::longValue).sum();
            assertThat(site.historyLength()).isEqualTo(site.historyNs().size());
            if (site.historyLength() > 0)
            {
                assertThat(site.historyMeanNs() * site.historyLength()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6 * sum + 1));
            }
        }
        for (final RttTrackerSnapshot.Edge edge : snapshot.edges())
        {
            assertThat(edge.ema().srttNs()).isEqualTo(elapsedOf(edge.site()));
        }
        shared.close();
    }

    /** A record seen between its insert and its first sample holds the empty word; otherwise its own value. */
    private static void assertOwn(final long word, final long srttNs, final long site)
    {
        if (word != 0)
        {
            assertThat(srttNs).as("srtt of site %d", site).isEqualTo(elapsedOf(site));
        }
    }

    private static long elapsedOf(final long site)
    {
        return 1_000 + site * 1_024;
    }

    private static void run(
        final CountDownLatch start, final AtomicBoolean stop, final AtomicReference<Throwable> failure, final Runnable body)
    {
        try
        {
            start.await();
            body.run();
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
            stop.set(true);
        }
    }
}
