package ai.bytesandbrains.rtt.agent;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.collections.Long2LongHashMap;

/**
 * The state the agent last published per site, so that a transition can carry its old state:
 * {@code RttTracker.scanPhi} hands its handler the new state only. Only sites not {@link PhiState#LIVE}
 * are kept (every site starts live), so the map is as large as the set of suspect and down sites.
 *
 * <p>Before each scan, {@link #reconcile} re-reads each kept site from the tracker and corrects its
 * entry: a site evicted since (and perhaps tracked afresh, live again) or reported by another thread's
 * scan would otherwise hand the next transition a stale old state.
 *
 * <p>Not thread-safe: the agent's duty thread only. Allocation-free except when the map grows.
 */
final class ReportedStates
{
    private static final long LIVE = PhiState.LIVE.ordinal(); // the map's missing value: absent means live

    private final Long2LongHashMap notLive = new Long2LongHashMap(LIVE);
    private final SiteView view = new SiteView();

    /** Correct every kept entry to the tracker's last reported state; drop sites live again or untracked. */
    void reconcile(final RttTracker tracker)
    {
        if (notLive.isEmpty())
        {
            return;
        }
        final Long2LongHashMap.EntryIterator iterator = notLive.entrySet().iterator();
        while (iterator.hasNext())
        {
            iterator.next();
            if (!tracker.readSite(iterator.getLongKey(), view) || view.lastPhiState() == PhiState.LIVE)
            {
                iterator.remove();
            }
            else if (view.lastPhiState().ordinal() != iterator.getLongValue())
            {
                iterator.setValue(view.lastPhiState().ordinal());
            }
        }
    }

    /**
     * Record {@code newState} for {@code site}.
     *
     * @return the state recorded before.
     */
    PhiState swap(final long site, final PhiState newState)
    {
        final long old = newState == PhiState.LIVE ? notLive.remove(site) : notLive.put(site, newState.ordinal());
        return PhiState.fromCode((int)old);
    }

    int size()
    {
        return notLive.size();
    }
}
