package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * {@link TrackerReadings} offered by a class that owns a {@link TrackerReader}, such as
 * {@code RttTracker}: every reading asks {@link #reader()}, which may first check that its owner is
 * still open. The readings are documented once, in {@link TrackerReadings}, with their threading
 * contract.
 */
public interface ReaderFacade extends TrackerReadings
{
    /**
     * Any thread.
     *
     * @return the reader every reading goes through.
     * @throws IllegalStateException when the owner is closed.
     */
    TrackerReader reader();

    @Override
    default boolean readSite(final long site, final SiteView view)
    {
        return reader().readSite(site, view);
    }

    @Override
    default int forEachSite(final SiteView view, final Consumer<SiteView> action)
    {
        return reader().forEachSite(view, action);
    }

    @Override
    default int forEachTrackedSite(final LongConsumer action)
    {
        return reader().forEachTrackedSite(action);
    }

    @Override
    default long trackedSiteCount()
    {
        return reader().trackedSiteCount();
    }

    @Override
    default boolean readEdge(final long site, final long chainId, final int hopIndex, final EmaView view)
    {
        return reader().readEdge(site, chainId, hopIndex, view);
    }

    @Override
    default boolean readChainPrior(final long chainId, final EmaView view)
    {
        return reader().readChainPrior(chainId, view);
    }

    @Override
    default boolean readReported(final long fromSite, final long nextHop, final long chainId, final EmaView view)
    {
        return reader().readReported(fromSite, nextHop, chainId, view);
    }

    @Override
    default EmaView readGlobalPrior(final EmaView view)
    {
        return reader().readGlobalPrior(view);
    }

    @Override
    default int forEachEdge(final EmaView view, final Consumer<EmaView> action)
    {
        return reader().forEachEdge(view, action);
    }

    @Override
    default int forEachChainPrior(final EmaView view, final Consumer<EmaView> action)
    {
        return reader().forEachChainPrior(view, action);
    }

    @Override
    default int forEachReported(final EmaView view, final Consumer<EmaView> action)
    {
        return reader().forEachReported(view, action);
    }

    @Override
    default String siteName(final long site)
    {
        return reader().siteName(site);
    }

    @Override
    default long droppedNameCount()
    {
        return reader().droppedNameCount();
    }

    @Override
    default long rejectedSampleCount()
    {
        return reader().rejectedSampleCount();
    }

    @Override
    default long siteOverflowCount()
    {
        return reader().siteOverflowCount();
    }

    @Override
    default long edgeOverflowCount()
    {
        return reader().edgeOverflowCount();
    }

    @Override
    default long chainOverflowCount()
    {
        return reader().chainOverflowCount();
    }

    @Override
    default long reportedOverflowCount()
    {
        return reader().reportedOverflowCount();
    }

    @Override
    default long nonQuiescentPhiReadCount()
    {
        return reader().nonQuiescentPhiReadCount();
    }

    @Override
    default long evictedSiteCount()
    {
        return reader().evictedSiteCount();
    }

    @Override
    default long evictedEdgeCount()
    {
        return reader().evictedEdgeCount();
    }

    @Override
    default long evictedReportCount()
    {
        return reader().evictedReportCount();
    }

    @Override
    default long localPauseCount()
    {
        return reader().localPauseCount();
    }

    @Override
    default long rejectedLocalPauseCount()
    {
        return reader().rejectedLocalPauseCount();
    }

    @Override
    default long cutLocalPauseCount()
    {
        return reader().cutLocalPauseCount();
    }

    @Override
    default long locallyPausedNsWithin(final long fromNs, final long toNs)
    {
        return reader().locallyPausedNsWithin(fromNs, toNs);
    }

    @Override
    default RttTrackerSnapshot.Counters readCounters()
    {
        return reader().readCounters();
    }

    @Override
    default RttTrackerSnapshot snapshot()
    {
        return reader().snapshot();
    }
}
