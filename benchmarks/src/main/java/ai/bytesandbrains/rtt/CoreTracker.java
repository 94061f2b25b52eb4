package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;

/**
 * {@link RttTracker} behind {@link TrackerUnderTest}: every hot method is a one-line delegation that the
 * JIT inlines.
 */
public final class CoreTracker implements TrackerUnderTest
{
    private final RttTracker tracker;

    public CoreTracker(final RttTracker tracker)
    {
        this.tracker = tracker;
    }

    public RttTracker tracker()
    {
        return tracker;
    }

    @Override
    public boolean observeRoundTrip(final long site, final long elapsedNs, final long nowNs)
    {
        return tracker.observeRoundTrip(site, elapsedNs, nowNs);
    }

    @Override
    public boolean observeRoundTrip(
        final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        return tracker.observeRoundTrip(site, chainId, hopIndex, elapsedNs, nowNs);
    }

    @Override
    public long estimateBudgetNs(final long site, final long staticDefaultNs)
    {
        return tracker.estimateBudgetNs(site, staticDefaultNs);
    }

    @Override
    public long estimateBudgetNs(final long site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        return tracker.estimateBudgetNs(site, chainId, hopIndex, staticDefaultNs);
    }

    @Override
    public double phi(final long site, final long nowNs)
    {
        return tracker.phi(site, nowNs);
    }

    @Override
    public Object siteHandle(final long site)
    {
        return tracker.siteHandle(site);
    }

    @Override
    public boolean observeRoundTrip(final Object handle, final long elapsedNs, final long nowNs)
    {
        return tracker.observeRoundTrip((SiteHandle)handle, elapsedNs, nowNs);
    }

    @Override
    public boolean observeRoundTrip(
        final Object handle, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        return tracker.observeRoundTrip((SiteHandle)handle, chainId, hopIndex, elapsedNs, nowNs);
    }

    @Override
    public long estimateBudgetNs(final Object handle, final long staticDefaultNs)
    {
        return tracker.estimateBudgetNs((SiteHandle)handle, staticDefaultNs);
    }

    @Override
    public long estimateBudgetNs(final Object handle, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        return tracker.estimateBudgetNs((SiteHandle)handle, chainId, hopIndex, staticDefaultNs);
    }

    @Override
    public double phi(final Object handle, final long nowNs)
    {
        return tracker.phi((SiteHandle)handle, nowNs);
    }

    @Override
    public boolean ingestReportedOutgoing(
        final long fromSite, final long nextHop, final long chainId, final long srttNs, final long rttvarNs,
        final long sampleCount)
    {
        return tracker.ingestReportedOutgoing(fromSite, nextHop, chainId, srttNs, rttvarNs, sampleCount);
    }

    @Override
    public int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        return tracker.scanPhi(nowNs, handler);
    }

    @Override
    public long chainId(final String chainTargets)
    {
        return ChainIds.fromTargets(chainTargets);
    }

    @Override
    public RttTrackerSnapshot.Ema siteEma(final long site)
    {
        final SiteView view = new SiteView();
        return tracker.readSite(site, view) ? RttTrackerSnapshot.Ema.of(view.word(), view.sampleCount()) : null;
    }

    @Override
    public long lastSeenNs(final long site)
    {
        final SiteView view = new SiteView();
        return tracker.readSite(site, view) && view.hasBeenSeen() ? view.lastSeenNs() : -1;
    }

    @Override
    public RttTrackerSnapshot.Ema edgeEma(final long site, final long chainId, final int hopIndex)
    {
        final EmaView view = new EmaView();
        return tracker.readEdge(site, chainId, hopIndex, view) ? ema(view) : null;
    }

    @Override
    public RttTrackerSnapshot.Ema chainPrior(final long chainId)
    {
        final EmaView view = new EmaView();
        return tracker.readChainPrior(chainId, view) ? ema(view) : null;
    }

    @Override
    public RttTrackerSnapshot.Ema globalPrior()
    {
        return ema(tracker.readGlobalPrior(new EmaView()));
    }

    @Override
    public RttTrackerSnapshot.Ema reported(final long fromSite, final long nextHop, final long chainId)
    {
        final EmaView view = new EmaView();
        return tracker.readReported(fromSite, nextHop, chainId, view) ? ema(view) : null;
    }

    @Override
    public long trackedSiteCount()
    {
        return tracker.trackedSiteCount();
    }

    private static RttTrackerSnapshot.Ema ema(final EmaView view)
    {
        return RttTrackerSnapshot.Ema.of(view.word(), view.sampleCount());
    }

    @Override
    public boolean evictSite(final long site)
    {
        return tracker.evictSite(site);
    }

    @Override
    public int evictIdle(final long nowNs, final long idleNs)
    {
        return tracker.evictIdle(nowNs, idleNs);
    }
}
