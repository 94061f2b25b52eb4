package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFile;

import java.nio.file.Paths;
import java.util.SplittableRandom;

/**
 * A writer process for the tools tests: {@code FILE} is created and sites 1..5 observed every
 * millisecond, site {@value #SILENT_SITE} only at first, so that its φ grows and the writer's scans report it
 * down. Every site is named ({@link #name}). Prints READY after the first round; runs until killed.
 */
public final class LiveWriterChild
{
    static final long SILENT_SITE = 6;
    static final long CHAIN = 77;
    static final long SPREAD_NS = 10_000;
    static final RttTrackerConfig CONFIG = RttTracker.builder()
        .siteCapacity(16).edgeCapacity(64).chainCapacity(4).reportedCapacity(4).historyCapacity(50).toConfig();

    private LiveWriterChild()
    {
    }

    /** Every sample of {@code site} lies in {@code [low(site), low(site) + SPREAD_NS)}. */
    static long low(final long site)
    {
        return site * 100_000;
    }

    /** The {@code host:port} name of a site the writer names. */
    static String name(final long site)
    {
        return "10.0.0." + site + ":50051";
    }

    public static void main(final String[] args) throws Exception
    {
        final TrackerFile file = TrackerFile.create(Paths.get(args[0]), CONFIG);
        final RttTracker tracker = file.tracker();
        final SplittableRandom random = new SplittableRandom(1);
        for (long site = 1; site <= SILENT_SITE; site++)
        {
            tracker.nameSite(site, name(site));
        }
        tracker.ingestReportedOutgoing(1, 2, CHAIN, 150_000, 5_000, 12);
        for (long round = 0; ; round++)
        {
            final long now = System.nanoTime();
            for (long site = 1; site <= 5; site++)
            {
                final long elapsed = low(site) + random.nextLong(SPREAD_NS);
                if (site % 2 == 0)
                {
                    tracker.observeRoundTrip(site, CHAIN, (int)site, elapsed, now);
                }
                else
                {
                    tracker.observeRoundTrip(site, elapsed, now);
                }
            }
            if (round < 10)
            {
                tracker.observeRoundTrip(SILENT_SITE, low(SILENT_SITE) + random.nextLong(SPREAD_NS), now);
            }
            tracker.scanPhi(now, (site, state, phi) -> { });
            if (round == 0)
            {
                System.out.println("READY");
                System.out.flush();
            }
            Thread.sleep(1);
        }
    }
}
