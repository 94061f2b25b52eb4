package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RttTrackerMetricsTest
{
    private static final long MS = 1_000_000L;
    private static final long STATIC_DEFAULT = 250 * MS;

    private final RttTracker tracker = RttTracker.builder()
        .siteCapacity(4)
        .edgeCapacity(4)
        .chainCapacity(4)
        .reportedCapacity(4)
        .historyCapacity(16)
        .localPauseAwareness(false)
        .build();
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RttTrackerMetrics metrics = RttTrackerMetrics.builder(tracker)
        .staticDefaultBudgetNs(STATIC_DEFAULT)
        .clock(clock::get)
        .build();

    @AfterEach
    void tearDown()
    {
        metrics.close();
        tracker.close();
    }

    /** Heartbeats every 10 ms from {@code start}, each with round trip {@code rttNs}. */
    private void heartbeats(final long site, final long rttNs, final long start, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            tracker.observeRoundTrip(site, rttNs + i * 100_000L, start + i * 10 * MS);
        }
    }

    private Gauge gauge(final String name, final long site)
    {
        return registry.find(name).tag(RttTrackerMetrics.TAG_PEER, Long.toUnsignedString(site)).gauge();
    }

    private TimeGauge timeGauge(final String name, final long site)
    {
        return registry.find(name).tag(RttTrackerMetrics.TAG_PEER, Long.toUnsignedString(site)).timeGauge();
    }

    private double counter(final String name, final String table)
    {
        final FunctionCounter counter = table == null ?
            registry.get(name).functionCounter() :
            registry.get(name).tag(RttTrackerMetrics.TAG_TABLE, table).functionCounter();
        return counter.count();
    }

    @Test
    void shouldPublishGaugesEqualToTheTrackersReadings()
    {
        heartbeats(1, 2 * MS, 900 * MS, 6);
        heartbeats(-7, 5 * MS, 900 * MS, 2); // a negative id: the peer tag is unsigned; only two samples, cold
        metrics.bindTo(registry);

        final SiteView view = new SiteView();
        for (final long site : new long[] {1, -7})
        {
            assertThat(tracker.readSite(site, view)).isTrue();
            assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, site).value(TimeUnit.NANOSECONDS))
                .isEqualTo((double)view.srttNs());
            assertThat(timeGauge(RttTrackerMetrics.SITE_RTTVAR, site).value(TimeUnit.NANOSECONDS))
                .isEqualTo((double)view.rttvarNs());
            assertThat(timeGauge(RttTrackerMetrics.SITE_BUDGET, site).value(TimeUnit.NANOSECONDS))
                .isEqualTo((double)tracker.estimateBudgetNs(site, STATIC_DEFAULT));
            assertThat(gauge(RttTrackerMetrics.SITE_PHI, site).value()).isEqualTo(tracker.phi(site, clock.get()));
            assertThat(gauge(RttTrackerMetrics.SITE_STATE, site).value()).isEqualTo(RttTrackerMetrics.STATE_LIVE);
        }
        assertThat(tracker.estimateBudgetNs(1, STATIC_DEFAULT)).isNotEqualTo(STATIC_DEFAULT); // site 1 is warm
        assertThat(gauge(RttTrackerMetrics.SITE_PHI, 1).value()).isGreaterThan(0.0);
        assertThat(registry.get(RttTrackerMetrics.SITES_TRACKED).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void shouldComputePhiAtTheClocksTimeOfTheScrapeAndStateAsLastScanned()
    {
        heartbeats(1, 2 * MS, 900 * MS, 6); // last seen at 950 ms, mean gap 10 ms
        metrics.bindTo(registry);
        final double phiAtBind = gauge(RttTrackerMetrics.SITE_PHI, 1).value();

        clock.set(2_000 * MS);
        final double phiLater = gauge(RttTrackerMetrics.SITE_PHI, 1).value();
        assertThat(phiLater).isEqualTo(tracker.phi(1, 2_000 * MS)).isGreaterThan(phiAtBind).isGreaterThan(16.0);
        assertThat(gauge(RttTrackerMetrics.SITE_STATE, 1).value())
            .as("no scan has reported the silence yet").isEqualTo(RttTrackerMetrics.STATE_LIVE);

        tracker.scanPhi(clock.get(), (site, state, phi) -> { });
        assertThat(gauge(RttTrackerMetrics.SITE_STATE, 1).value()).isEqualTo(RttTrackerMetrics.STATE_DOWN);
        assertThat(RttTrackerMetrics.STATE_DOWN).isEqualTo(PhiState.DOWN.ordinal());
    }

    @Test
    void shouldReadNaNForSrttAndRttvarOfASiteKnownOnlyFromAReport()
    {
        tracker.ingestReportedOutgoing(3, 4, 99, 5 * MS, MS, 9);
        metrics.bindTo(registry);

        assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, 3).value()).isNaN();
        assertThat(timeGauge(RttTrackerMetrics.SITE_RTTVAR, 3).value()).isNaN();
        assertThat(gauge(RttTrackerMetrics.SITE_PHI, 3).value()).isZero();
        assertThat(timeGauge(RttTrackerMetrics.SITE_BUDGET, 3).value(TimeUnit.NANOSECONDS)).isEqualTo((double)STATIC_DEFAULT);
    }

    @Test
    void shouldAddMetersForNewSitesAndRemoveThoseOfEvictedSitesOnRefresh()
    {
        heartbeats(1, 2 * MS, 0, 3);
        metrics.bindTo(registry);
        assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 1)).isNotNull();
        assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 2)).isNull();

        heartbeats(2, 3 * MS, 0, 3);
        assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 2)).as("no refresh yet").isNull();
        assertThat(metrics.refresh()).isTrue();
        for (final String name : new String[] {
            RttTrackerMetrics.SITE_SRTT, RttTrackerMetrics.SITE_RTTVAR, RttTrackerMetrics.SITE_BUDGET,
            RttTrackerMetrics.SITE_PHI, RttTrackerMetrics.SITE_STATE})
        {
            assertThat(gauge(name, 2)).as(name).isNotNull();
        }
        assertThat(metrics.siteMeterCount()).isEqualTo(2);

        assertThat(tracker.evictSite(1)).isTrue();
        assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 1).value()).as("evicted, not yet refreshed").isNaN();
        metrics.refresh();
        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).tag(RttTrackerMetrics.TAG_PEER, "1").meters()).isEmpty();
        assertThat(registry.find(RttTrackerMetrics.SITE_PHI).tag(RttTrackerMetrics.TAG_PEER, "1").meters()).isEmpty();
        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).meters()).hasSize(1);
        assertThat(metrics.siteMeterCount()).isEqualTo(1);

        heartbeats(1, 4 * MS, 100 * MS, 3); // the evicted site comes back: its meters come back too
        metrics.refresh();
        final SiteView view = new SiteView();
        assertThat(tracker.readSite(1, view)).isTrue();
        assertThat(view.sampleCount()).as("tracked afresh").isEqualTo(3);
        assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, 1).value(TimeUnit.NANOSECONDS)).isEqualTo((double)view.srttNs());
    }

    @Test
    void shouldPublishTheTrackersCountersAsFunctionCounters()
    {
        metrics.bindTo(registry);
        assertThat(counter(RttTrackerMetrics.OVERFLOWS, "site")).isZero();

        for (long site = 1; site <= 6; site++) // capacity 4: two refused
        {
            tracker.observeRoundTrip(site, 99, 100);
        }
        for (int hop = 0; hop < 6; hop++) // edges and chains: capacity 4 each
        {
            tracker.observeRoundTrip(1, 1_000 + hop, hop, MS, 2 * MS);
        }
        for (long next = 1; next <= 5; next++)
        {
            tracker.ingestReportedOutgoing(1, next, 7, MS, MS, 3);
        }
        tracker.observeRoundTrip(1, -1, 3 * MS);
        tracker.observeRoundTrip(1, MS, -1);
        tracker.recordLocalPause(0, MS); // awareness off: not recorded
        assertThat(tracker.evictSite(1)).isTrue();

        assertThat(counter(RttTrackerMetrics.OVERFLOWS, "site")).isEqualTo(tracker.siteOverflowCount()).isEqualTo(2.0);
        assertThat(counter(RttTrackerMetrics.OVERFLOWS, "edge")).isEqualTo(tracker.edgeOverflowCount()).isEqualTo(2.0);
        assertThat(counter(RttTrackerMetrics.OVERFLOWS, "chain")).isEqualTo(tracker.chainOverflowCount()).isEqualTo(2.0);
        assertThat(counter(RttTrackerMetrics.OVERFLOWS, "report")).isEqualTo(tracker.reportedOverflowCount()).isEqualTo(1.0);
        assertThat(counter(RttTrackerMetrics.SAMPLES_REJECTED, null)).isEqualTo(tracker.rejectedSampleCount()).isEqualTo(2.0);
        assertThat(counter(RttTrackerMetrics.EVICTIONS, "site")).isEqualTo(tracker.evictedSiteCount()).isEqualTo(1.0);
        assertThat(counter(RttTrackerMetrics.EVICTIONS, "edge")).isEqualTo(tracker.evictedEdgeCount()).isEqualTo(4.0);
        assertThat(counter(RttTrackerMetrics.EVICTIONS, "report")).isEqualTo(tracker.evictedReportCount()).isEqualTo(4.0);
        assertThat(counter(RttTrackerMetrics.PHI_READS_NON_QUIESCENT, null)).isEqualTo(tracker.nonQuiescentPhiReadCount());
        assertThat(counter(RttTrackerMetrics.LOCAL_PAUSES, null)).isEqualTo(tracker.localPauseCount());
    }

    @Test
    void shouldKeepCountingAfterGarbageCollection()
    {
        metrics.bindTo(registry);
        tracker.observeRoundTrip(1, -1, 0); // rejected: counted
        assertThat(counter(RttTrackerMetrics.SAMPLES_REJECTED, null)).isEqualTo(1.0);
        for (int i = 0; i < 3; i++)
        {
            System.gc(); // a weakly held counter state would be collected here and freeze at 1
        }
        tracker.observeRoundTrip(1, -1, 0);
        assertThat(counter(RttTrackerMetrics.SAMPLES_REJECTED, null)).isEqualTo(2.0);
    }

    @Test
    void shouldCountLocalPausesWhenTheTrackerIsAwareOfThem()
    {
        try (RttTracker aware = RttTracker.builder().siteCapacity(4).historyCapacity(4).build();
             RttTrackerMetrics awareMetrics = RttTrackerMetrics.builder(aware).build())
        {
            awareMetrics.bindTo(registry);
            final double before = counter(RttTrackerMetrics.LOCAL_PAUSES, null);
            assertThat(aware.recordLocalPause(10 * MS, 20 * MS)).isTrue();
            assertThat(counter(RttTrackerMetrics.LOCAL_PAUSES, null)).isEqualTo(before + 1);
        }
    }

    @Test
    void shouldFreezeCountersAndReadNaNGaugesOnceTheTrackerIsClosed()
    {
        heartbeats(1, 2 * MS, 0, 3);
        tracker.observeRoundTrip(1, -5, MS);
        metrics.bindTo(registry);
        assertThat(counter(RttTrackerMetrics.SAMPLES_REJECTED, null)).isEqualTo(1.0);

        tracker.close();

        assertThat(counter(RttTrackerMetrics.SAMPLES_REJECTED, null)).isEqualTo(1.0);
        assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 1).value()).isNaN();
        assertThat(gauge(RttTrackerMetrics.SITE_PHI, 1).value()).isNaN();
        assertThat(gauge(RttTrackerMetrics.SITE_BUDGET, 1).value()).isNaN();
        assertThat(gauge(RttTrackerMetrics.SITE_STATE, 1).value()).isNaN();
        assertThat(registry.get(RttTrackerMetrics.SITES_TRACKED).gauge().value()).isNaN();
        assertThat(metrics.refresh()).as("a closed tracker is not refreshed").isFalse();
        assertThat(metrics.siteMeterCount()).isEqualTo(1);
    }

    @Test
    void shouldRemoveEveryMeterOnCloseAndRefuseToBindAgain()
    {
        heartbeats(1, 2 * MS, 0, 3);
        metrics.bindTo(registry);
        assertThat(registry.getMeters()).hasSize(5 + 1 + 11);

        metrics.close();
        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        assertThat(metrics.refresh()).isFalse();
        assertThat(registry.getMeters()).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
            .withMessageContaining("closed");
    }

    @Test
    void shouldRefuseASecondRegistryAndANullOne()
    {
        metrics.bindTo(registry);
        assertThatIllegalStateException().isThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
            .withMessageContaining("CompositeMeterRegistry");
        assertThatIllegalArgumentException().isThrownBy(() -> metrics.bindTo(null)).withMessageContaining("registry");
    }

    @Test
    void shouldNotRefreshBeforeBeingBound()
    {
        heartbeats(1, 2 * MS, 0, 3);
        assertThat(metrics.refresh()).isFalse();
        assertThat(metrics.siteMeterCount()).isZero();
    }

    @Test
    void shouldTagPeersWithTheSuppliedNamesAndTellCollidingNamesApart()
    {
        heartbeats(1, 2 * MS, 0, 3);
        heartbeats(2, 2 * MS, 0, 3);
        heartbeats(3, 2 * MS, 0, 3);
        final List<Long> asked = new ArrayList<>();
        try (RttTrackerMetrics named = RttTrackerMetrics.builder(tracker)
            .peerNames(site ->
            {
                asked.add(site);
                return site == 3 ? null : "venue";
            })
            .tags(Tags.of("tracker", "orders"))
            .build())
        {
            named.bindTo(registry);
            named.refresh();

            assertThat(asked).as("asked once per site, not per refresh").containsExactlyInAnyOrder(1L, 2L, 3L);
            final List<String> peers = new ArrayList<>();
            registry.find(RttTrackerMetrics.SITE_SRTT).tag("tracker", "orders").gauges()
                .forEach(g -> peers.add(g.getId().getTag(RttTrackerMetrics.TAG_PEER)));
            assertThat(peers).hasSize(3).contains("3").containsAnyOf("venue#1", "venue#2").contains("venue");
            assertThat(registry.get(RttTrackerMetrics.OVERFLOWS).tag("tracker", "orders").functionCounters()).hasSize(4);
        }
    }

    @Test
    void shouldTagPeersWithTheTrackersNamesByDefaultAndTheUnsignedIdOtherwise()
    {
        final long named = tracker.site("10.1.2.3:50051");
        heartbeats(named, 2 * MS, 0, 3);
        heartbeats(-7, 3 * MS, 0, 3);
        metrics.bindTo(registry);

        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).tag(RttTrackerMetrics.TAG_PEER, "10.1.2.3:50051").timeGauge())
            .isNotNull();
        assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, -7)).as("unnamed: the unsigned id").isNotNull();
    }

    @Test
    void shouldTagASiteByItsNameFromTheRefreshAfterItWasNamed()
    {
        heartbeats(5, 2 * MS, 0, 3);
        metrics.bindTo(registry);
        assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, 5)).isNotNull();

        tracker.nameSite(5, "10.5.5.5:443");
        metrics.refresh();

        assertThat(timeGauge(RttTrackerMetrics.SITE_SRTT, 5)).as("the id tag is gone").isNull();
        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).tag(RttTrackerMetrics.TAG_PEER, "10.5.5.5:443").timeGauge())
            .isNotNull();
        assertThat(metrics.siteMeterCount()).isEqualTo(1);
        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).timeGauges()).hasSize(1);
    }

    @Test
    void shouldRejectInvalidConfigurationNamingTheParameter()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> RttTrackerMetrics.builder(null))
            .withMessageContaining("tracker");
        final RttTrackerMetrics.Builder builder = RttTrackerMetrics.builder(tracker);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.staticDefaultBudgetNs(-1))
            .withMessageContaining("staticDefaultBudgetNs");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.peerNames(null)).withMessageContaining("peerNames");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.clock(null)).withMessageContaining("clock");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.tags(null)).withMessageContaining("tags");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.tags(Tags.of("peer", "x")))
            .withMessageContaining("peer");
        assertThatIllegalArgumentException().isThrownBy(() -> metrics.scheduleRefresh(null, Duration.ofSeconds(1)))
            .withMessageContaining("executor");
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try
        {
            assertThatIllegalArgumentException().isThrownBy(() -> metrics.scheduleRefresh(executor, Duration.ZERO))
                .withMessageContaining("period");
            assertThatIllegalArgumentException().isThrownBy(() -> metrics.scheduleRefresh(executor, null))
                .withMessageContaining("period");
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldRefreshOnASchedule() throws InterruptedException
    {
        metrics.bindTo(registry);
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try
        {
            final ScheduledFuture<?> schedule = metrics.scheduleRefresh(executor, Duration.ofMillis(5));
            heartbeats(1, 2 * MS, 0, 3);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metrics.siteMeterCount() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(metrics.siteMeterCount()).isEqualTo(1);
            assertThat(gauge(RttTrackerMetrics.SITE_SRTT, 1)).isNotNull();
            schedule.cancel(false);
        }
        finally
        {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Scrapes on two threads at once, of sites with different srtt: a view shared between threads would
     * sooner or later give one site's gauge the other site's value.
     */
    @Test
    void shouldGiveEachScrapingThreadItsOwnView() throws InterruptedException
    {
        heartbeats(1, 2 * MS, 0, 3);
        heartbeats(2, 7 * MS, 0, 3);
        metrics.bindTo(registry);
        final TimeGauge one = timeGauge(RttTrackerMetrics.SITE_SRTT, 1);
        final TimeGauge two = timeGauge(RttTrackerMetrics.SITE_SRTT, 2);
        final double expectedOne = one.value(TimeUnit.NANOSECONDS);
        final double expectedTwo = two.value(TimeUnit.NANOSECONDS);
        assertThat(expectedOne).isNotEqualTo(expectedTwo);

        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] scrapers = new Thread[2];
        for (int t = 0; t < scrapers.length; t++)
        {
            final boolean oneFirst = t == 0;
            scrapers[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int i = 0; i < 200_000 && failure.get() == null; i++)
                    {
                        final double a = (oneFirst ? one : two).value(TimeUnit.NANOSECONDS);
                        final double b = (oneFirst ? two : one).value(TimeUnit.NANOSECONDS);
                        if (a != (oneFirst ? expectedOne : expectedTwo) || b != (oneFirst ? expectedTwo : expectedOne))
                        {
                            failure.compareAndSet(null, "read " + a + ", " + b + " at iteration " + i);
                        }
                    }
                }
                catch (final InterruptedException ex)
                {
                    failure.compareAndSet(null, "interrupted");
                }
            });
            scrapers[t].start();
        }
        start.countDown();
        for (final Thread scraper : scrapers)
        {
            scraper.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(scraper.isAlive()).isFalse();
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void shouldRunConcurrentRefreshesWithoutLosingOrDuplicatingMeters() throws InterruptedException
    {
        metrics.bindTo(registry);
        final Thread[] refreshers = new Thread[2];
        final CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < refreshers.length; t++)
        {
            refreshers[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                for (int i = 0; i < 2_000; i++)
                {
                    metrics.refresh();
                }
            });
            refreshers[t].start();
        }
        start.countDown();
        for (int round = 0; round < 200; round++)
        {
            final long site = 1 + round % 4;
            tracker.observeRoundTrip(site, MS, round * MS);
            if (round % 3 == 0)
            {
                tracker.evictSite(1 + (round + 2) % 4);
            }
        }
        for (final Thread refresher : refreshers)
        {
            refresher.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(refresher.isAlive()).isFalse();
        }
        while (!metrics.refresh())
        {
            Thread.onSpinWait(); // cannot spin long: every other refresher has finished
        }
        final List<Long> tracked = new ArrayList<>();
        tracker.forEachTrackedSite(tracked::add);
        assertThat(metrics.siteMeterCount()).isEqualTo(tracked.size());
        assertThat(registry.find(RttTrackerMetrics.SITE_SRTT).meters()).hasSize(tracked.size());
        for (final long site : tracked)
        {
            assertThat(gauge(RttTrackerMetrics.SITE_STATE, site)).isNotNull();
        }
    }
}
