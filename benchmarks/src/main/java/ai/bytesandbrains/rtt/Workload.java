package ai.bytesandbrains.rtt;

import java.util.SplittableRandom;

/**
 * Deterministic, pre-generated inputs shared by the benchmarks: round-trip samples (all below 2^24 ns,
 * where core's EMA encoding is exact), clock advances between calls, site and chain ids. Benchmarks walk
 * the arrays with a cursor and advance {@code nowNs} by {@link #gapNs}, so φ histories fill with
 * realistic inter-arrival times, not zeros.
 */
public final class Workload
{
    /** Length of every array; a power of two. */
    public static final int SIZE = 1 << 16;
    /** Mask for a cursor. */
    public static final int MASK = SIZE - 1;
    /** Warm sites the single-threaded benchmarks rotate over (a power of two). */
    public static final int WARM_SITES = 16;
    /** Chains in use (a power of two). */
    public static final int CHAINS = 4;
    /** History capacity of the reference, for φ at capacity. */
    public static final int HISTORY_CAPACITY = 1000;
    /** A typical compiler-stamped {@code chain_targets} string. */
    public static final String CHAIN_TARGETS =
        "ai.bytesandbrains.site/ingest-7:7401,ai.bytesandbrains.site/gpu-embed-3:7402,ai.bytesandbrains.site/rank-1:7403";

    /** Round-trip samples in ns: mostly 150..250 µs, 1% spikes up to 4 ms. */
    public final long[] elapsedNs = new long[SIZE];
    /** Clock advance before each call, 5..15 µs. */
    public final long[] gapNs = new long[SIZE];
    /** Chain ids, from {@code chain_targets}-like strings. */
    public final long[] chainIds = new long[CHAINS];

    public Workload(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SIZE; i++)
        {
            elapsedNs[i] = random.nextInt(100) == 0 ?
                250_000 + random.nextLong(3_750_000) : 150_000 + random.nextLong(100_000);
            gapNs[i] = 5_000 + random.nextLong(10_000);
        }
        for (int c = 0; c < CHAINS; c++)
        {
            chainIds[c] = ChainIds.fromTargets(CHAIN_TARGETS + ",hop-" + c);
        }
    }

    /**
     * @param index a site index.
     * @return a scattered site id for it.
     */
    public static long siteId(final int index)
    {
        return 0x5EED_0000_0000L + index * 0x9E37_79B9L;
    }

    /**
     * @param index a site index never used by {@link #siteId}.
     * @return a site id no benchmark tracks.
     */
    public static long unknownSiteId(final int index)
    {
        return 0xDEAD_0000_0000L + index * 0x9E37_79B9L;
    }

    /**
     * Observe with chain over {@code sites} site ids, {@code rounds} rounds, in the order the benchmarks
     * use, so EMAs are warm and histories full when {@code rounds > capacity}.
     *
     * @return the clock after the last call.
     */
    public long warm(final TrackerUnderTest tracker, final int firstSite, final int sites, final int rounds, final long startNs)
    {
        long now = startNs;
        int k = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int s = 0; s < sites; s++, k++)
            {
                final int i = k & MASK;
                now += gapNs[i];
                tracker.observeRoundTrip(siteId(firstSite + s), chainIds[s & (CHAINS - 1)], s & (CHAINS - 1), elapsedNs[i], now);
            }
        }
        return now;
    }
}
