package ai.bytesandbrains.rtt.baseline;

import ai.bytesandbrains.rtt.TrackerUnderTest;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Baseline 1: the port a developer writes first. A line-by-line translation of the Rust module's {@code rtt_tracker}:
 * {@link HashMap}s with boxed keys, every public method {@code synchronized} on the tracker, mutable
 * EMAs, a {@code long[]} history ring and the reference's O(capacity) {@code f64} mean on every φ.
 * Semantics follow docs/semantics.md, including the deliberate differences D1 (negative times rejected),
 * D2 ("never seen" is explicit) and D3 (a late {@code now} records no inter-arrival and never moves
 * last-seen backwards), so that it computes what core computes.
 *
 * <p>Handles ({@link #siteHandle}) cache the site's {@link Entry}, which eviction marks removed, under the
 * monitor like everything else: a handle call costs one field read more than holding the entry, and no
 * map lookup while the entry is live.
 */
public final class SynchronizedRttTracker implements TrackerUnderTest
{
    private static final double LN_10 = 2.302585092994046;

    private final int historyCapacity;
    private final double suspectPhi;
    private final double downPhi;
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Map<Long, Ema> chainPriors = new HashMap<>();
    private final Ema globalPrior = new Ema();
    private long rejected;

    public SynchronizedRttTracker(final int historyCapacity, final double suspectPhi, final double downPhi)
    {
        this.historyCapacity = historyCapacity;
        this.suspectPhi = suspectPhi;
        this.downPhi = downPhi;
    }

    public SynchronizedRttTracker()
    {
        this(1000, 8.0, 16.0);
    }

    /** Mutable Jacobson/Karels EMA, as {@code RttEma}. */
    static final class Ema
    {
        long srttNs;
        long rttvarNs;
        long sampleCount;

        void observe(final long sampleNs, final int alphaShift, final int betaShift)
        {
            if (sampleCount == 0)
            {
                srttNs = sampleNs;
                rttvarNs = sampleNs >> 1;
            }
            else
            {
                final long delta = Math.abs(sampleNs - srttNs);
                rttvarNs = rttvarNs - (rttvarNs >> betaShift) + (delta >> betaShift);
                srttNs = srttNs - (srttNs >> alphaShift) + (sampleNs >> alphaShift);
            }
            sampleCount++;
        }

        long budgetNs()
        {
            return saturatingBudget(srttNs, rttvarNs);
        }

        boolean isWarm()
        {
            return sampleCount >= 3;
        }

        RttTrackerSnapshot.Ema snapshot()
        {
            return new RttTrackerSnapshot.Ema(srttNs, rttvarNs, sampleCount, isWarm());
        }
    }

    /** Key of a per-edge EMA, as {@code EdgeKey}. */
    record EdgeKey(long chainId, int hopIndex)
    {
    }

    /** Key of a reverse-path report, as {@code (NodeSiteId, ChainId)}. */
    record ReportKey(long nextHop, long chainId)
    {
    }

    /** φ-accrual state, as {@code PhiAccrualState}: a ring over a {@code long[]}, O(capacity) mean. */
    final class PhiAccrual
    {
        final long[] history = new long[historyCapacity];
        int head;
        int length;

        void recordHeartbeat(final long interArrivalNs)
        {
            if (length == historyCapacity)
            {
                history[head] = interArrivalNs;
                head = head + 1 == historyCapacity ? 0 : head + 1;
            }
            else
            {
                final int tail = head + length;
                history[tail < historyCapacity ? tail : tail - historyCapacity] = interArrivalNs;
                length++;
            }
        }

        double phi(final long nowNs, final boolean seen, final long lastSeenNs)
        {
            if (length == 0 || !seen)
            {
                return 0.0;
            }
            final double elapsed = Math.max(nowNs - lastSeenNs, 0L);
            double sum = 0.0;
            for (int i = 0; i < length; i++)
            {
                final int index = head + i;
                sum += history[index < historyCapacity ? index : index - historyCapacity];
            }
            final double mean = sum / length;
            if (mean <= 0.0)
            {
                return 0.0;
            }
            return elapsed / (mean * LN_10);
        }
    }

    /** One entry per site, as {@code RttTrackerEntry}. */
    final class Entry
    {
        final Ema siteStats = new Ema();
        final Map<EdgeKey, Ema> perEdgeStats = new HashMap<>();
        final Map<ReportKey, Ema> reportedOutgoing = new HashMap<>();
        final PhiAccrual phiAccrual = new PhiAccrual();
        boolean seen;
        long lastSeenAtNs;
        long lastUpdatedAtNs;
        PhiState lastPhiState = PhiState.LIVE;
        /** Set when eviction takes the entry out of the map, so that a handle holding it resolves the id again. */
        boolean removed;
    }

    /**
     * A site's handle: its id and its entry as last resolved ({@code null}: not tracked then). Read and
     * written under the tracker's monitor. Belongs to the tracker that made it (not checked).
     */
    static final class Handle
    {
        final long site;
        Entry entry;

        Handle(final long site, final Entry entry)
        {
            this.site = site;
            this.entry = entry;
        }
    }

    @Override
    public synchronized Object siteHandle(final long site)
    {
        return new Handle(site, entries.get(site));
    }

    /** The handle's entry while it is live, else the map's (possibly null), cached. */
    private Entry entry(final Handle handle)
    {
        final Entry cached = handle.entry;
        if (cached != null && !cached.removed)
        {
            return cached;
        }
        return handle.entry = entries.get(handle.site);
    }

    /** {@link #entry(Handle)}, inserting the site as an observe by id does. */
    private Entry entryOrInsert(final Handle handle)
    {
        final Entry cached = handle.entry;
        if (cached != null && !cached.removed)
        {
            return cached;
        }
        return handle.entry = entries.computeIfAbsent(handle.site, k -> new Entry());
    }

    @Override
    public synchronized boolean observeRoundTrip(final long site, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            rejected++;
            return false;
        }
        observeSite(entries.computeIfAbsent(site, k -> new Entry()), elapsedNs, nowNs);
        globalPrior.observe(elapsedNs, 6, 5);
        return true;
    }

    @Override
    public synchronized boolean observeRoundTrip(final Object handle, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            rejected++;
            return false;
        }
        observeSite(entryOrInsert((Handle)handle), elapsedNs, nowNs);
        globalPrior.observe(elapsedNs, 6, 5);
        return true;
    }

    @Override
    public synchronized boolean observeRoundTrip(
        final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            rejected++;
            return false;
        }
        observeChained(entries.computeIfAbsent(site, k -> new Entry()), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    @Override
    public synchronized boolean observeRoundTrip(
        final Object handle, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            rejected++;
            return false;
        }
        observeChained(entryOrInsert((Handle)handle), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    private void observeChained(
        final Entry entry, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        observeSite(entry, elapsedNs, nowNs);
        entry.perEdgeStats.computeIfAbsent(new EdgeKey(chainId, hopIndex), k -> new Ema()).observe(elapsedNs, 3, 2);
        chainPriors.computeIfAbsent(chainId, k -> new Ema()).observe(elapsedNs, 3, 2);
        globalPrior.observe(elapsedNs, 6, 5);
    }

    private static void observeSite(final Entry entry, final long elapsedNs, final long nowNs)
    {
        entry.siteStats.observe(elapsedNs, 3, 2);
        entry.lastUpdatedAtNs = Math.max(entry.lastUpdatedAtNs, nowNs);
        if (!entry.seen)
        {
            entry.seen = true;
            entry.lastSeenAtNs = nowNs;
        }
        else if (nowNs >= entry.lastSeenAtNs)
        {
            entry.phiAccrual.recordHeartbeat(nowNs - entry.lastSeenAtNs);
            entry.lastSeenAtNs = nowNs;
        }
    }

    @Override
    public synchronized long estimateBudgetNs(final long site, final long staticDefaultNs)
    {
        return estimate(entries.get(site), staticDefaultNs);
    }

    @Override
    public synchronized long estimateBudgetNs(final Object handle, final long staticDefaultNs)
    {
        return estimate(entry((Handle)handle), staticDefaultNs);
    }

    private long estimate(final Entry entry, final long staticDefaultNs)
    {
        if (entry != null && entry.siteStats.isWarm())
        {
            return entry.siteStats.budgetNs();
        }
        return globalPrior.isWarm() ? globalPrior.budgetNs() : staticDefaultNs;
    }

    @Override
    public synchronized long estimateBudgetNs(
        final long site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        checkHop(hopIndex);
        return estimate(entries.get(site), chainId, hopIndex, staticDefaultNs);
    }

    @Override
    public synchronized long estimateBudgetNs(
        final Object handle, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        checkHop(hopIndex);
        return estimate(entry((Handle)handle), chainId, hopIndex, staticDefaultNs);
    }

    private long estimate(final Entry entry, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        if (entry != null)
        {
            final Ema edge = entry.perEdgeStats.get(new EdgeKey(chainId, hopIndex));
            if (edge != null && edge.isWarm())
            {
                return edge.budgetNs();
            }
            if (entry.siteStats.isWarm())
            {
                return entry.siteStats.budgetNs();
            }
        }
        final Ema prior = chainPriors.get(chainId);
        if (prior != null && prior.isWarm())
        {
            return prior.budgetNs();
        }
        return globalPrior.isWarm() ? globalPrior.budgetNs() : staticDefaultNs;
    }

    @Override
    public synchronized double phi(final long site, final long nowNs)
    {
        if (nowNs < 0)
        {
            rejected++;
            return 0.0;
        }
        return phiOf(entries.get(site), nowNs);
    }

    @Override
    public synchronized double phi(final Object handle, final long nowNs)
    {
        if (nowNs < 0)
        {
            rejected++;
            return 0.0;
        }
        return phiOf(entry((Handle)handle), nowNs);
    }

    private static double phiOf(final Entry entry, final long nowNs)
    {
        return entry == null ? 0.0 : entry.phiAccrual.phi(nowNs, entry.seen, entry.lastSeenAtNs);
    }

    public synchronized boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > suspectPhi;
    }

    public synchronized boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > downPhi;
    }

    @Override
    public synchronized boolean ingestReportedOutgoing(
        final long fromSite, final long nextHop, final long chainId, final long srttNs, final long rttvarNs,
        final long sampleCount)
    {
        if ((srttNs | rttvarNs | sampleCount) < 0)
        {
            rejected++;
            return false;
        }
        final Ema report = entries.computeIfAbsent(fromSite, k -> new Entry())
            .reportedOutgoing.computeIfAbsent(new ReportKey(nextHop, chainId), k -> new Ema());
        report.srttNs = srttNs;
        report.rttvarNs = rttvarNs;
        report.sampleCount = sampleCount;
        return true;
    }

    @Override
    public synchronized int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        if (nowNs < 0)
        {
            rejected++;
            return 0;
        }
        int reported = 0;
        for (final Map.Entry<Long, Entry> e : entries.entrySet())
        {
            final Entry entry = e.getValue();
            // As the reference: phi, then is_down and is_suspect, each recomputing the O(capacity) mean.
            final double phi = entry.phiAccrual.phi(nowNs, entry.seen, entry.lastSeenAtNs);
            final PhiState state;
            if (entry.phiAccrual.phi(nowNs, entry.seen, entry.lastSeenAtNs) > downPhi)
            {
                state = PhiState.DOWN;
            }
            else if (entry.phiAccrual.phi(nowNs, entry.seen, entry.lastSeenAtNs) > suspectPhi)
            {
                state = PhiState.SUSPECT;
            }
            else
            {
                state = PhiState.LIVE;
            }
            if (state != entry.lastPhiState)
            {
                entry.lastPhiState = state;
                reported++;
                handler.onTransition(e.getKey(), state, phi);
            }
        }
        return reported;
    }

    @Override
    public long chainId(final String chainTargets)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : chainTargets.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    public synchronized long rejectedSampleCount()
    {
        return rejected;
    }

    @Override
    public synchronized RttTrackerSnapshot.Ema siteEma(final long site)
    {
        final Entry entry = entries.get(site);
        return entry == null ? null : entry.siteStats.snapshot();
    }

    @Override
    public synchronized long lastSeenNs(final long site)
    {
        final Entry entry = entries.get(site);
        return entry == null || !entry.seen ? -1 : entry.lastSeenAtNs;
    }

    @Override
    public synchronized RttTrackerSnapshot.Ema edgeEma(final long site, final long chainId, final int hopIndex)
    {
        final Entry entry = entries.get(site);
        final Ema ema = entry == null ? null : entry.perEdgeStats.get(new EdgeKey(chainId, hopIndex));
        return ema == null ? null : ema.snapshot();
    }

    @Override
    public synchronized RttTrackerSnapshot.Ema chainPrior(final long chainId)
    {
        final Ema ema = chainPriors.get(chainId);
        return ema == null ? null : ema.snapshot();
    }

    @Override
    public synchronized RttTrackerSnapshot.Ema globalPrior()
    {
        return globalPrior.snapshot();
    }

    @Override
    public synchronized RttTrackerSnapshot.Ema reported(final long fromSite, final long nextHop, final long chainId)
    {
        final Entry entry = entries.get(fromSite);
        final Ema ema = entry == null ? null : entry.reportedOutgoing.get(new ReportKey(nextHop, chainId));
        return ema == null ? null : ema.snapshot();
    }

    @Override
    public synchronized long trackedSiteCount()
    {
        return entries.size();
    }

    static long saturatingBudget(final long srttNs, final long rttvarNs)
    {
        if (rttvarNs > (Long.MAX_VALUE >> 2))
        {
            return Long.MAX_VALUE;
        }
        final long budget = srttNs + 4 * rttvarNs;
        return budget < 0 ? Long.MAX_VALUE : budget;
    }

    static void checkHop(final int hopIndex)
    {
        if (hopIndex < 0 || hopIndex > 255)
        {
            throw new IllegalArgumentException("hopIndex must be in 0..255 but was " + hopIndex);
        }
    }

    @Override
    public synchronized boolean evictSite(final long site)
    {
        final Entry entry = entries.remove(site); // edges and reports live in the site's entry
        if (entry == null)
        {
            return false;
        }
        entry.removed = true;
        return true;
    }

    @Override
    public synchronized int evictIdle(final long nowNs, final long idleNs)
    {
        int evicted = 0;
        for (final Iterator<Entry> it = entries.values().iterator(); it.hasNext(); )
        {
            final Entry entry = it.next();
            if (entry.seen && nowNs - entry.lastSeenAtNs >= idleNs)
            {
                it.remove();
                entry.removed = true;
                evicted++;
            }
        }
        return evicted;
    }
}
