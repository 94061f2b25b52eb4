package ai.bytesandbrains.rtt.chain;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.state.TrackerReader;
import ai.bytesandbrains.rtt.view.EmaView;

/**
 * Deadline budget for a whole chain {@code caller → s0 → s1 → ... → s(n-1)}, composed from the
 * caller's own estimate of its edge to {@code s0} and the reverse-path reports each site {@code s(i-1)}
 * sent about its outgoing edge to {@code s(i)}. Uses only {@link RttTracker}'s public API.
 *
 * <h2>Formula</h2>
 * Each hop {@code i} contributes a pair {@code (srtt_i, rttvar_i)}, taken from the first warm source:
 * <ul>
 *   <li>hop 0: the caller's edge {@code (s0, chainId, 0)}, site {@code s0}, chain prior, global prior,
 *   static default (the tiers of {@code estimateBudgetNs});</li>
 *   <li>hop {@code i >= 1}: the report of {@code s(i-1)} about {@code (s(i), chainId)}, then the
 *   caller's own edge {@code (s(i), chainId, i)}, site {@code s(i)}, chain prior, global prior, static
 *   default.</li>
 * </ul>
 * A report is used only when warm (reported sample count {@code >= 3}); a missing or cold report falls
 * back per hop, the other hops are unaffected. The static default enters as {@code srtt = default,
 * rttvar = 0}. Then
 * <pre>
 *   S = Σ srtt_i        V = Σ rttvar_i        budget = S + K·V   (K: the tracker's budgetMultiplier, 4 by default)
 * </pre>
 * every sum saturating at {@link Long#MAX_VALUE}. Summing rttvar (a mean deviation) rather than adding
 * variances is deliberate: the mean deviation of a sum is at most the sum of the mean deviations
 * whatever the correlation between hops, so the budget stays conservative when hops slow down
 * together (a shared network, a common overload), and it needs no square root. Adding independent
 * variances would give a tighter {@code sqrt(Σ rttvar_i²)} that is only right for uncorrelated hops.
 *
 * <h2>Model</h2>
 * The sum treats hop {@code i}'s estimate as the time of its own leg only: right when each site reports
 * the round trip of its own outgoing edge and the legs run one after another (forwarding pipelines,
 * or services that call the next hop after their own work). Where the caller's measured round trip to
 * {@code s0} already includes the downstream calls (nested synchronous RPC), its own edge estimate
 * covers the chain and this composition is an upper bound.
 *
 * <h2>Threading</h2>
 * Not thread-safe: holds reusable views and the per-hop result of the last composition, so use one
 * instance per thread. The tracker may be shared and updated concurrently; each tier is read whole,
 * tiers and hops one after another (a composition racing observes may mix older and newer hops).
 * Allocation-free.
 */
public final class ChainBudget
{
    /** Most hops in a chain: hop indexes are 0..255. */
    public static final int MAX_HOPS = RttTracker.MAX_HOP_INDEX + 1;

    private static final HopSource[] SOURCES = HopSource.values();
    /** Indexed by the reader's tier numbers ({@code TrackerReader.EDGE_TIER} ...). */
    private static final HopSource[] TIER_SOURCES = tierSources();

    private final RttTracker tracker;
    private final EmaView emaView = new EmaView();
    private final int[] tier = new int[1];
    private final long[] hopSrttNs = new long[MAX_HOPS];
    private final long[] hopRttvarNs = new long[MAX_HOPS];
    private final byte[] hopSource = new byte[MAX_HOPS];
    private int hopCount;
    private long srttSumNs;
    private long rttvarSumNs;
    private long budgetNs;

    /**
     * Any thread; the instance is then used by one thread at a time.
     *
     * @param tracker the caller's tracker, holding its own estimates and the reports it ingested.
     */
    public ChainBudget(final RttTracker tracker)
    {
        this.tracker = tracker;
    }

    /**
     * Compose the budget of the chain whose hops go to {@code hopSites[0..hopCount)} and keep the per-hop
     * terms for the accessors. Single-threaded (see the class Javadoc); allocation-free.
     *
     * @param chainId              the chain.
     * @param hopSites             the site of each hop, in order; {@code hopSites[0]} is the caller's peer.
     * @param hopCount             hops, 1..256.
     * @param staticDefaultPerHopNs srtt of a hop with no warm source, {@code >= 0}.
     * @return the budget {@code Σsrtt + K·Σrttvar} (K the tracker's budget multiplier), saturating.
     * @throws IllegalArgumentException when {@code hopCount} is outside 1..256 or above
     *                                  {@code hopSites.length}, or the default is negative.
     * @throws IllegalStateException    when the tracker is closed.
     */
    public long compose(final long chainId, final long[] hopSites, final int hopCount, final long staticDefaultPerHopNs)
    {
        if (hopCount < 1 || hopCount > MAX_HOPS || hopCount > hopSites.length)
        {
            throw new IllegalArgumentException(
                "hopCount " + hopCount + " must be in 1.." + Math.min(MAX_HOPS, hopSites.length));
        }
        if (staticDefaultPerHopNs < 0)
        {
            throw new IllegalArgumentException("staticDefaultPerHopNs must be >= 0: " + staticDefaultPerHopNs);
        }
        long srttSum = 0;
        long rttvarSum = 0;
        for (int hop = 0; hop < hopCount; hop++)
        {
            final HopSource source = estimateHop(chainId, hopSites, hop, staticDefaultPerHopNs);
            hopSource[hop] = (byte)source.ordinal();
            srttSum = saturatingAdd(srttSum, hopSrttNs[hop]);
            rttvarSum = saturatingAdd(rttvarSum, hopRttvarNs[hop]);
        }
        this.hopCount = hopCount;
        this.srttSumNs = srttSum;
        this.rttvarSumNs = rttvarSum;
        this.budgetNs = EmaWord.budgetNs(srttSum, rttvarSum, tracker.config().budgetMultiplier());
        return budgetNs;
    }

    private HopSource estimateHop(final long chainId, final long[] hopSites, final int hop, final long staticDefaultNs)
    {
        final long site = hopSites[hop];
        if (hop > 0 && tracker.readReported(hopSites[hop - 1], site, chainId, emaView) && emaView.isWarm())
        {
            return take(hop, emaView.srttNs(), emaView.rttvarNs(), HopSource.REPORTED);
        }
        // The tracker's own tier order, the one its estimates use.
        final long word = tracker.reader().firstWarmWord(site, chainId, hop, tier);
        if (EmaWord.isWarm(word))
        {
            return take(hop, EmaWord.srttNs(word), EmaWord.rttvarNs(word), TIER_SOURCES[tier[0]]);
        }
        return take(hop, staticDefaultNs, 0, HopSource.STATIC_DEFAULT);
    }

    private static HopSource[] tierSources()
    {
        final HopSource[] sources = new HopSource[TrackerReader.GLOBAL_TIER + 1];
        sources[TrackerReader.EDGE_TIER] = HopSource.EDGE;
        sources[TrackerReader.SITE_TIER] = HopSource.SITE;
        sources[TrackerReader.CHAIN_TIER] = HopSource.CHAIN_PRIOR;
        sources[TrackerReader.GLOBAL_TIER] = HopSource.GLOBAL_PRIOR;
        return sources;
    }

    private HopSource take(final int hop, final long srttNs, final long rttvarNs, final HopSource source)
    {
        hopSrttNs[hop] = srttNs;
        hopRttvarNs[hop] = rttvarNs;
        return source;
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @return the budget of the last composition, {@code Σsrtt + K·Σrttvar} (K the tracker's budget multiplier).
     */
    public long budgetNs()
    {
        return budgetNs;
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @return Σ srtt of the last composition.
     */
    public long srttSumNs()
    {
        return srttSumNs;
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @return Σ rttvar of the last composition.
     */
    public long rttvarSumNs()
    {
        return rttvarSumNs;
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @return hops in the last composition.
     */
    public int hopCount()
    {
        return hopCount;
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @param hop a hop of the last composition.
     * @return where its estimate came from.
     */
    public HopSource hopSource(final int hop)
    {
        checkHop(hop);
        return SOURCES[hopSource[hop]];
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @param hop a hop of the last composition.
     * @return its srtt term.
     */
    public long hopSrttNs(final int hop)
    {
        checkHop(hop);
        return hopSrttNs[hop];
    }

    /**
     * Not thread-safe: the composing thread.
     *
     * @param hop a hop of the last composition.
     * @return its rttvar term.
     */
    public long hopRttvarNs(final int hop)
    {
        checkHop(hop);
        return hopRttvarNs[hop];
    }

    private void checkHop(final int hop)
    {
        if (hop < 0 || hop >= hopCount)
        {
            throw new IndexOutOfBoundsException("hop " + hop + " of " + hopCount);
        }
    }

    static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
