package ai.bytesandbrains.rtt;


import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.SiteView;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer churn over simulated hours: two million distinct site ids pass through a table of 4,096 sites.
 * Each site lives for a few round trips a second apart, some in a chain context, some also reporting,
 * then falls silent; {@code evictIdle} runs every simulated second. Halfway through, a burst of new
 * sites overflows the table. The tracker is driven alongside {@link ReferenceRttTracker} and must
 * agree with it on every eviction and every counter; at the end every table must give back all of its
 * records: nothing leaked, nothing double-freed.
 */
class ChurnTest
{
    private static final int SITE_CAPACITY = 4096;
    private static final int EDGE_CAPACITY = 4096;
    private static final int CHAIN_CAPACITY = 8;
    private static final int REPORTED_CAPACITY = 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long SIMULATED_SECONDS = 4 * 3600;
    private static final int NEW_SITES_PER_SECOND = 139;
    private static final long IDLE_NS = 10 * SECOND;
    private static final int BURST = 6_000;

    @Test
    void shouldCycleMillionsOfSitesThroughASmallTableWithExactCountsAndNoLeakedRecord()
    {
        final RttTrackerConfig config = RttTracker.builder()
            .siteCapacity(SITE_CAPACITY)
            .edgeCapacity(EDGE_CAPACITY)
            .chainCapacity(CHAIN_CAPACITY)
            .reportedCapacity(REPORTED_CAPACITY)
            .historyCapacity(16)
            .toConfig();
        final ReferenceRttTracker model = new ReferenceRttTracker(config);
        final SplittableRandom random = new SplittableRandom(2026);
        final long[] chainIds = new long[CHAIN_CAPACITY];
        for (int i = 0; i < chainIds.length; i++)
        {
            chainIds[i] = ChainIds.fromTargets("chain-" + i);
        }
        final ArrayDeque<long[]> active = new ArrayDeque<>(); // {site, remaining round trips, chain, hop}
        final SiteView view = new SiteView();
        long nextSite = 1_000_000_007L;
        long distinctSites = 0;
        long observes = 0;

        try (RttTracker tracker = config.toBuilder().build())
        {
            final RecordTable sites = tracker.tables().sites();
            final RecordTable edges = tracker.tables().edges();
            final RecordTable reported = tracker.tables().reported();
            long now = SECOND;
            for (long second = 0; second < SIMULATED_SECONDS; second++)
            {
                final int arrivals = second == SIMULATED_SECONDS / 2 ? BURST : NEW_SITES_PER_SECOND;
                for (int i = 0; i < arrivals; i++)
                {
                    final boolean chained = random.nextInt(3) == 0;
                    active.addLast(new long[]{
                        nextSite, 1 + random.nextInt(8), chained ? chainIds[random.nextInt(chainIds.length)] : 0,
                        chained ? random.nextInt(4) : -1});
                    nextSite += 0x9E37_79B9L; // distinct, spread ids
                    distinctSites++;
                }
                for (int i = active.size(); i > 0; i--)
                {
                    final long[] peer = active.pollFirst();
                    final long at = now + random.nextLong(SECOND / 2);
                    final long elapsed = 50_000 + (peer[0] & 0xFFFF) * 16; // per-site, so a mixed record would show
                    if (peer[3] < 0)
                    {
                        assertThat(tracker.observeRoundTrip(peer[0], elapsed, at))
                            .isEqualTo(model.observe(peer[0], false, 0, 0, elapsed, at));
                    }
                    else
                    {
                        assertThat(tracker.observeRoundTrip(peer[0], peer[2], (int)peer[3], elapsed, at))
                            .isEqualTo(model.observe(peer[0], true, peer[2], (int)peer[3], elapsed, at));
                    }
                    observes++;
                    if ((peer[0] & 15) == 0)
                    {
                        assertThat(tracker.ingestReportedOutgoing(peer[0], peer[0] + 1, peer[2], elapsed, elapsed / 2, 3))
                            .isEqualTo(model.ingest(peer[0], peer[0] + 1, peer[2], elapsed, elapsed / 2, 3));
                    }
                    if (--peer[1] > 0)
                    {
                        active.addLast(peer);
                    }
                }
                now += SECOND;
                assertThat(tracker.evictIdle(now, IDLE_NS)).isEqualTo(model.evictIdle(now, IDLE_NS));
                if (second % 600 == 0 || second == SIMULATED_SECONDS / 2)
                {
                    assertAgree(tracker, model, view);
                }
            }
            assertAgree(tracker, model, view);
            assertThat(distinctSites).isGreaterThan(2_000_000);
            assertThat(tracker.siteOverflowCount()).isPositive(); // the burst overflowed the table

            // Everything left is evicted: all records must come back.
            final long end = now + 24 * 3600 * SECOND;
            assertThat(tracker.evictIdle(end, 0)).isEqualTo(model.evictIdle(end, 0));
            for (final long site : model.entries.keySet().stream().mapToLong(Long::longValue).toArray())
            {
                assertThat(tracker.evictSite(site)).isEqualTo(model.evictSite(site));
            }
            assertAgree(tracker, model, view);
            assertThat(tracker.trackedSiteCount()).isZero();
            assertThat(sites.size()).isZero();
            assertThat(edges.size()).isZero();
            assertThat(reported.size()).isZero();
            assertThat(sites.freeCount()).isEqualTo(SITE_CAPACITY);
            assertThat(edges.freeCount()).isEqualTo(EDGE_CAPACITY);
            assertThat(reported.freeCount()).isEqualTo(REPORTED_CAPACITY);
            // Every admission (a site may be admitted again after an eviction or an overflow) ended in one eviction.
            assertThat(tracker.evictedSiteCount()).isEqualTo(model.admittedSites);
            assertThat(tracker.forEachChainPrior(new ai.bytesandbrains.rtt.view.EmaView(), v -> { }))
                .isEqualTo(CHAIN_CAPACITY); // chain priors survive every eviction
            System.out.printf(
                "churn: %d distinct sites, %d observes over %d simulated s; evicted %d sites, %d edges, %d reports;" +
                " overflowed %d sites, %d edges, %d reports%n",
                distinctSites, observes, SIMULATED_SECONDS, tracker.evictedSiteCount(), tracker.evictedEdgeCount(),
                tracker.evictedReportCount(), tracker.siteOverflowCount(), tracker.edgeOverflowCount(),
                tracker.reportedOverflowCount());
        }
    }

    private static void assertAgree(final RttTracker tracker, final ReferenceRttTracker model, final SiteView view)
    {
        assertThat(tracker.trackedSiteCount()).isEqualTo(model.entries.size());
        assertThat(tracker.evictedSiteCount()).isEqualTo(model.evictedSites);
        assertThat(tracker.evictedEdgeCount()).isEqualTo(model.evictedEdges);
        assertThat(tracker.evictedReportCount()).isEqualTo(model.evictedReports);
        assertThat(tracker.siteOverflowCount()).isEqualTo(model.siteOverflows);
        assertThat(tracker.edgeOverflowCount()).isEqualTo(model.edgeOverflows);
        assertThat(tracker.reportedOverflowCount()).isEqualTo(model.reportedOverflows);
        model.entries.forEach((site, entry) ->
        {
            assertThat(tracker.readSite(site, view)).isTrue();
            assertThat(view.sampleCount()).isEqualTo(entry.site.count);
            assertThat(view.srttNs()).isEqualTo(entry.site.srtt); // below 2^24: exact (D5)
            assertThat(view.historyLength()).isEqualTo(entry.length);
            assertThat(view.lastSeenNs()).isEqualTo(entry.lastSeen);
        });
    }
}
