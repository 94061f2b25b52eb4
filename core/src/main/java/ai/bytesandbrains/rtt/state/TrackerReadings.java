package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Every reading of a tracker's state, written once: {@link TrackerReader} implements it over a buffer
 * (the live tracker's, or a file's read-only mapping), and {@code RttTracker} offers the same readings,
 * each delegating to its reader after checking that it is open (after {@code close()} each throws
 * {@link IllegalStateException}).
 *
 * <h2>Threading contract</h2>
 * Every method may be called by any number of threads at once, concurrently with writers; none takes a
 * lock or writes. The views and actions passed in are the caller's: one view per reading thread. A
 * reading is allocation-free (given a non-capturing or reused action) except {@link #readCounters()},
 * {@link #siteName(long)} and {@link #snapshot()}; a name in a view is read without allocating
 * ({@code SiteView.name()} decodes it when asked). What a reading racing writers can see:
 * <ul>
 *   <li>an EMA as of some sequence of whole observes, its count read first so that it lags the word by
 *   at most the observes in flight;</li>
 *   <li>a site, edge or report either whole as one occupant had it, or absent: a record evicted or reused
 *   while read is skipped;</li>
 *   <li>different entries, and counters, read one after another, not as one instant; entries inserted
 *   during a visit may or may not be seen.</li>
 * </ul>
 * A value no writer stores (a corrupt buffer) makes the reading throw the reader's fault exception,
 * naming the table, record and field.
 */
public interface TrackerReadings
{
    /**
     * Fill {@code view} with the state of {@code site}.
     *
     * @param site the site.
     * @param view filled when the site is tracked.
     * @return {@code true} when the site is tracked.
     */
    boolean readSite(long site, SiteView view);

    /**
     * Visit every tracked site in storage order, filling one reused view.
     *
     * @param view   reused for every site.
     * @param action called with {@code view} per site.
     * @return number of sites visited.
     */
    int forEachSite(SiteView view, Consumer<SiteView> action);

    /**
     * Visit the id of every tracked site.
     *
     * @param action called per site id.
     * @return number of sites visited.
     */
    int forEachTrackedSite(LongConsumer action);

    /**
     * A moment's value.
     *
     * @return number of tracked sites.
     */
    long trackedSiteCount();

    /**
     * Fill {@code view} with the per-edge EMA of {@code (site, chainId, hopIndex)}.
     *
     * @param site     the site.
     * @param chainId  the chain.
     * @param hopIndex the hop, 0..255.
     * @param view     filled when the edge is tracked.
     * @return {@code true} when the edge is tracked.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     */
    boolean readEdge(long site, long chainId, int hopIndex, EmaView view);

    /**
     * Fill {@code view} with the prior of {@code chainId}.
     *
     * @param chainId the chain.
     * @param view    filled when the chain is tracked.
     * @return {@code true} when the chain is tracked.
     */
    boolean readChainPrior(long chainId, EmaView view);

    /**
     * Fill {@code view} with the report of {@code fromSite} about its edge to {@code nextHop}.
     *
     * @param fromSite the reporting site.
     * @param nextHop  its next hop.
     * @param chainId  the chain.
     * @param view     filled when such a report is stored.
     * @return {@code true} when such a report is stored.
     */
    boolean readReported(long fromSite, long nextHop, long chainId, EmaView view);

    /**
     * Fill {@code view} with the global prior.
     *
     * @param view filled.
     * @return {@code view}.
     */
    EmaView readGlobalPrior(EmaView view);

    /**
     * Visit every per-edge EMA.
     *
     * @param view   reused for every edge.
     * @param action called per edge.
     * @return number visited.
     */
    int forEachEdge(EmaView view, Consumer<EmaView> action);

    /**
     * Visit every chain prior.
     *
     * @param view   reused for every chain.
     * @param action called per chain.
     * @return number visited.
     */
    int forEachChainPrior(EmaView view, Consumer<EmaView> action);

    /**
     * Visit every reverse-path report.
     *
     * @param view   reused for every report.
     * @param action called per report.
     * @return number visited.
     */
    int forEachReported(EmaView view, Consumer<EmaView> action);

    /**
     * A moment's value.
     *
     * @return calls refused for a negative time or value since creation.
     */
    long rejectedSampleCount();

    /**
     * A moment's value.
     *
     * @return new sites not tracked because the site table was full.
     */
    long siteOverflowCount();

    /**
     * A moment's value.
     *
     * @return new edges not tracked because the edge table was full.
     */
    long edgeOverflowCount();

    /**
     * A moment's value.
     *
     * @return new chains not tracked because the chain table was full.
     */
    long chainOverflowCount();

    /**
     * A moment's value.
     *
     * @return new reports not stored because the reported table was full.
     */
    long reportedOverflowCount();

    /**
     * φ reads that found heartbeats of the same site in flight on each of their attempts and so used a
     * mean that may be off by those heartbeats; counted once per such read. A moment's value.
     *
     * @return the count.
     */
    long nonQuiescentPhiReadCount();

    /**
     * A moment's value.
     *
     * @return sites removed by eviction since creation.
     */
    long evictedSiteCount();

    /**
     * A moment's value.
     *
     * @return edges removed with their sites since creation.
     */
    long evictedEdgeCount();

    /**
     * A moment's value.
     *
     * @return reports removed with their sites since creation.
     */
    long evictedReportCount();

    /**
     * A moment's value.
     *
     * @return local pauses recorded (scan gaps, GC pauses, reported pauses) since creation; 0 when
     * local-pause awareness is off.
     */
    long localPauseCount();

    /**
     * A moment's value.
     *
     * @return local pauses refused as empty, inverted or longer than the longest pause believed; 0 when
     * local-pause awareness is off.
     */
    long rejectedLocalPauseCount();

    /**
     * A moment's value.
     *
     * @return local pauses cut short because they ended after a present confirmed by later scans; 0 when
     * local-pause awareness is off.
     */
    long cutLocalPauseCount();

    /**
     * How much of a window this process is known to have been paused, counting only pauses that ended by
     * {@code toNs}, as φ does; 0 when awareness is off.
     *
     * @param fromNs start of a window on the observe clock.
     * @param toNs   end of the window.
     * @return paused nanoseconds within the window.
     */
    long locallyPausedNsWithin(long fromNs, long toNs);

    /**
     * The name given to {@code site} ({@code RttTracker.nameSite}); allocates the string. A name being
     * written by a racing namer reads as none; a name once seen never changes. Names outlive the eviction
     * of their sites.
     *
     * @param site the site, tracked or not.
     * @return its name, or {@code ""} when it has none.
     */
    String siteName(long site);

    /**
     * A moment's value.
     *
     * @return names dropped because the name table was full, the name was too long, or the id cannot be named.
     */
    long droppedNameCount();

    /**
     * Every counter, each whole and recent, read one after another; allocates.
     *
     * @return the counters.
     */
    RttTrackerSnapshot.Counters readCounters();

    /**
     * An immutable copy of the whole state, for diagnostics, export and tests; allocates.
     *
     * @return the snapshot.
     */
    RttTrackerSnapshot snapshot();
}
