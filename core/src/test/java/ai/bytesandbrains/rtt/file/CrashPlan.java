package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;

/**
 * What thread {@code t} sends on its {@code i}-th observe in the crash test, as a pure function, so the
 * parent can recompute what was sent from how many observes each thread had completed.
 */
final class CrashPlan
{
    static final int THREADS = 4;
    static final long MIN_ELAPSED_NS = 1_000;
    static final long MAX_ELAPSED_NS = 1_000_000;
    static final long SHARED_SITE = 7;
    static final long[] CHAINS = {11, 12, 13};
    /** Bytes between two threads' slots in the side file: no false sharing. */
    static final int SIDE_SLOT_LENGTH = 128;

    static final RttTrackerConfig CONFIG = RttTracker.builder()
        .siteCapacity(8192).edgeCapacity(32768).chainCapacity(8).reportedCapacity(4).historyCapacity(16).toConfig();

    /** Call {@code i} of thread {@code t}. */
    record Call(long site, long chainId, int hop, long elapsedNs)
    {
        boolean chained()
        {
            return chainId != 0;
        }
    }

    private CrashPlan()
    {
    }

    static Call call(final int t, final long i)
    {
        final long mixed = mix(t * 0x9E3779B97F4A7C15L + i);
        final long elapsed = MIN_ELAPSED_NS + Math.floorMod(mixed, MAX_ELAPSED_NS - MIN_ELAPSED_NS + 1);
        final long site;
        switch ((int)(i % 4))
        {
            case 0, 2 -> site = 100 + t;                              // own site
            case 1 -> site = SHARED_SITE;                             // shared by every thread
            default -> site = 1_000_000L * (t + 1) + i / 1024;        // a new site every 256 calls: inserts
        }
        final long chainId = (i % 3 == 0) ? 0 : CHAINS[(int)((i / 3) % CHAINS.length)];
        return new Call(site, chainId, site >= 1_000_000L ? 0 : (int)(i % 5), elapsed);
    }

    static void apply(final RttTracker tracker, final Call call, final long nowNs)
    {
        if (call.chained())
        {
            tracker.observeRoundTrip(call.site(), call.chainId(), call.hop(), call.elapsedNs(), nowNs);
        }
        else
        {
            tracker.observeRoundTrip(call.site(), call.elapsedNs(), nowNs);
        }
    }

    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
