package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.util.SplittableRandom;

/**
 * A seeded, deterministic sequence of calls, so two processes can build the same state. Public only for
 * {@link #withoutTimestamps}, which tests of other packages share.
 */
public final class Workload
{
    static final long CHAIN = ChainIds.fromTargets("ingest,enrich,score");
    static final long OTHER_CHAIN = ChainIds.fromTargets("a,b");

    static final RttTrackerConfig CONFIG = RttTracker.builder()
        .siteCapacity(32).edgeCapacity(64).chainCapacity(8).reportedCapacity(16).historyCapacity(20).toConfig();

    private Workload()
    {
    }

    /**
     * @return the last {@code nowNs} used.
     */
    static long load(final RttTracker tracker, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        long now = 1_000;
        for (int i = 0; i < 2_000; i++)
        {
            now += random.nextLong(1_000_000);
            final long site = random.nextInt(20);
            final long elapsed = random.nextLong(1L << random.nextInt(10, 40));
            switch (random.nextInt(3))
            {
                case 0 -> tracker.observeRoundTrip(site, CHAIN, random.nextInt(3), elapsed, now);
                case 1 -> tracker.observeRoundTrip(site, OTHER_CHAIN, random.nextInt(2), elapsed, now);
                default -> tracker.observeRoundTrip(site, elapsed, now);
            }
        }
        for (int site = 0; site < 20; site += 3)
        {
            tracker.nameSite(site, "10.0.0." + site + ":7000"); // some sites named, the rest not
        }
        tracker.ingestReportedOutgoing(3, 4, CHAIN, 1_000_000, 50_000, 9);
        tracker.ingestReportedOutgoing(25, 3, OTHER_CHAIN, 2_000_000, 10_000, 4);
        tracker.observeRoundTrip(1, -5, now); // rejected, counted
        tracker.scanPhi(now + 10_000_000_000L, (s, st, p) -> { }); // some sites go SUSPECT or DOWN
        return now;
    }

    /**
     * @param snapshot a snapshot of a live tracker.
     * @return what a restart keeps of it: everything but timestamps and remembered φ states.
     */
    public static RttTrackerSnapshot withoutTimestamps(final RttTrackerSnapshot snapshot)
    {
        return new RttTrackerSnapshot(
            snapshot.sites().stream().map(s -> new RttTrackerSnapshot.Site(
                s.site(), s.ema(), false, 0, PhiState.LIVE, s.historyLength(), s.historyMeanNs(), s.historyNs(),
                s.name())).toList(),
            snapshot.edges(), snapshot.chainPriors(), snapshot.reported(), snapshot.globalPrior(), snapshot.counters());
    }
}
