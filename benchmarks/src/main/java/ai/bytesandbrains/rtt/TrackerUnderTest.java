package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

/**
 * The operations the benchmarks compare, implemented by core (through {@link CoreTracker}) and by the three
 * baselines. A benchmark fork creates exactly one implementation, so every call site stays monomorphic
 * and is inlined as if the concrete class were called directly.
 */
public interface TrackerUnderTest
{
    boolean observeRoundTrip(long site, long elapsedNs, long nowNs);

    boolean observeRoundTrip(long site, long chainId, int hopIndex, long elapsedNs, long nowNs);

    long estimateBudgetNs(long site, long staticDefaultNs);

    long estimateBudgetNs(long site, long chainId, int hopIndex, long staticDefaultNs);

    double phi(long site, long nowNs);

    // The handle API: a site resolved once to the implementation's per-site state and kept by the caller.
    // Every call through a handle gives the result of the same call by its site id, bit for bit, however
    // handle and id calls interleave, including after the site was evicted (the next call re-resolves the id,
    // an observe re-inserting it) and re-inserted. A handle belongs to the tracker that made it; anything
    // else (a boxed Long included) fails the implementation's cast.

    /**
     * A handle for {@code site}; it does not start tracking the site, as the id calls' first observe does.
     *
     * @param site the site.
     * @return the implementation's handle: core's {@link SiteHandle}, a baseline's holder of the site's object.
     */
    Object siteHandle(long site);

    /** {@link #observeRoundTrip(long, long, long)} through a handle from {@link #siteHandle}. */
    boolean observeRoundTrip(Object handle, long elapsedNs, long nowNs);

    /** {@link #observeRoundTrip(long, long, int, long, long)} through a handle from {@link #siteHandle}. */
    boolean observeRoundTrip(Object handle, long chainId, int hopIndex, long elapsedNs, long nowNs);

    /** {@link #estimateBudgetNs(long, long)} through a handle from {@link #siteHandle}. */
    long estimateBudgetNs(Object handle, long staticDefaultNs);

    /** {@link #estimateBudgetNs(long, long, int, long)} through a handle from {@link #siteHandle}. */
    long estimateBudgetNs(Object handle, long chainId, int hopIndex, long staticDefaultNs);

    /** {@link #phi(long, long)} through a handle from {@link #siteHandle}. */
    double phi(Object handle, long nowNs);

    boolean ingestReportedOutgoing(
        long fromSite, long nextHop, long chainId, long srttNs, long rttvarNs, long sampleCount);

    int scanPhi(long nowNs, PhiTransitionHandler handler);

    /**
     * @param chainTargets the {@code chain_targets} string.
     * @return its FNV-1a 64 chain id, computed the way this implementation would.
     */
    long chainId(String chainTargets);

    /**
     * Forget a site with its edges and reports.
     *
     * @param site the site.
     * @return {@code true} when it was tracked.
     */
    boolean evictSite(long site);

    /**
     * Evict every site last seen at least {@code idleNs} before {@code nowNs}.
     *
     * @param nowNs  now.
     * @param idleNs silence required.
     * @return sites evicted.
     */
    int evictIdle(long nowNs, long idleNs);

    // Inspection, for the equivalence test: null when not tracked.

    RttTrackerSnapshot.Ema siteEma(long site);

    /**
     * @param site the site.
     * @return last-seen time, or -1 when the site is untracked or never seen.
     */
    long lastSeenNs(long site);

    RttTrackerSnapshot.Ema edgeEma(long site, long chainId, int hopIndex);

    RttTrackerSnapshot.Ema chainPrior(long chainId);

    RttTrackerSnapshot.Ema globalPrior();

    RttTrackerSnapshot.Ema reported(long fromSite, long nextHop, long chainId);

    long trackedSiteCount();
}
