package ai.bytesandbrains.rtt.baseline;

import ai.bytesandbrains.rtt.TrackerUnderTest;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baseline 2: a lock-free port in the style of the JVM failure detectors in use today (Akka's
 * {@code PhiAccrualFailureDetector}, concurrency-limits): a {@link ConcurrentHashMap} of per-site objects
 * with boxed keys; every EMA an immutable object swapped by compare-and-set, so every update allocates;
 * the φ state (last-seen time plus an immutable history with a running sum, so the mean is O(1)) also an
 * immutable object swapped by compare-and-set. Same semantics as core (docs/semantics.md, D1 to D3).
 *
 * <p>Handles ({@link #siteHandle}) cache the site's {@link Site}, which eviction marks removed once it is out
 * of the map: a handle call costs one volatile read more than holding the site, and no map lookup while the
 * site is live.
 */
public final class AtomicReferenceRttTracker implements TrackerUnderTest
{
    private static final double LN_10 = 2.302585092994046;

    private final int historyCapacity;
    private final double suspectPhi;
    private final double downPhi;
    private final ConcurrentHashMap<Long, Site> sites = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AtomicReference<Ema>> chainPriors = new ConcurrentHashMap<>();
    private final AtomicReference<Ema> globalPrior = new AtomicReference<>(Ema.EMPTY);
    private final AtomicLong rejected = new AtomicLong();

    public AtomicReferenceRttTracker(final int historyCapacity, final double suspectPhi, final double downPhi)
    {
        this.historyCapacity = historyCapacity;
        this.suspectPhi = suspectPhi;
        this.downPhi = downPhi;
    }

    public AtomicReferenceRttTracker()
    {
        this(1000, 8.0, 16.0);
    }

    /** Immutable EMA state; {@link #next} allocates the successor. */
    record Ema(long srttNs, long rttvarNs, long sampleCount)
    {
        static final Ema EMPTY = new Ema(0, 0, 0);

        Ema next(final long sampleNs, final int alphaShift, final int betaShift)
        {
            if (sampleCount == 0)
            {
                return new Ema(sampleNs, sampleNs >> 1, 1);
            }
            final long delta = Math.abs(sampleNs - srttNs);
            return new Ema(
                srttNs - (srttNs >> alphaShift) + (sampleNs >> alphaShift),
                rttvarNs - (rttvarNs >> betaShift) + (delta >> betaShift),
                sampleCount + 1);
        }

        boolean isWarm()
        {
            return sampleCount >= 3;
        }

        long budgetNs()
        {
            return SynchronizedRttTracker.saturatingBudget(srttNs, rttvarNs);
        }

        RttTrackerSnapshot.Ema snapshot()
        {
            return new RttTrackerSnapshot.Ema(srttNs, rttvarNs, sampleCount, isWarm());
        }
    }

    /** One inter-arrival time in an immutable list. */
    record Interval(long valueNs, Interval next)
    {
    }

    /**
     * Immutable heartbeat state: last-seen time and a bounded FIFO of inter-arrival times as a persistent
     * two-list queue ({@code front} oldest first, {@code back} newest first) with a running sum.
     */
    record Heartbeats(boolean seen, long lastSeenNs, Interval front, Interval back, int length, long sumNs)
    {
        static final Heartbeats NEVER_SEEN = new Heartbeats(false, 0, null, null, 0, 0);

        Heartbeats next(final long nowNs, final int capacity)
        {
            if (!seen)
            {
                return new Heartbeats(true, nowNs, null, null, 0, 0);
            }
            final long interval = nowNs - lastSeenNs;
            Interval newFront = front;
            final Interval newBack = new Interval(interval, back);
            int newLength = length + 1;
            long newSum = sumNs + interval;
            if (length == capacity)
            {
                Interval back2 = newBack;
                if (newFront == null)
                {
                    // Reverse the back list into the front (amortised O(1) per element).
                    for (Interval i = newBack; i != null; i = i.next)
                    {
                        newFront = new Interval(i.valueNs, newFront);
                    }
                    back2 = null;
                }
                newSum -= newFront.valueNs;
                newLength--;
                return new Heartbeats(true, nowNs, newFront.next, back2, newLength, newSum);
            }
            return new Heartbeats(true, nowNs, newFront, newBack, newLength, newSum);
        }

        double phi(final long nowNs)
        {
            if (length == 0 || !seen)
            {
                return 0.0;
            }
            final double mean = (double)sumNs / length;
            if (mean <= 0.0)
            {
                return 0.0;
            }
            return Math.max(nowNs - lastSeenNs, 0L) / (mean * LN_10);
        }
    }

    record EdgeKey(long chainId, int hopIndex)
    {
    }

    record ReportKey(long nextHop, long chainId)
    {
    }

    static final class Site
    {
        final AtomicReference<Ema> ema = new AtomicReference<>(Ema.EMPTY);
        final AtomicReference<Heartbeats> heartbeats = new AtomicReference<>(Heartbeats.NEVER_SEEN);
        final ConcurrentHashMap<EdgeKey, AtomicReference<Ema>> edges = new ConcurrentHashMap<>();
        final ConcurrentHashMap<ReportKey, Ema> reported = new ConcurrentHashMap<>();
        final AtomicInteger lastPhiState = new AtomicInteger(PhiState.LIVE.ordinal());
        /**
         * Set once eviction has taken the site out of the map, so that a handle call after the eviction resolves
         * the id again; a call racing the eviction finishes on the detached site, as a call by id does.
         */
        volatile boolean removed;
    }

    /**
     * A site's handle: its id and its site as last resolved ({@code null}: not tracked then). The cache is
     * plain: a site's fields are final (its flag volatile), so a thread that reads another's write sees a
     * whole site, and one that reads an older value re-resolves or uses a site that was live. Belongs to the
     * tracker that made it (not checked).
     */
    static final class Handle
    {
        final long site;
        Site cached;

        Handle(final long site, final Site cached)
        {
            this.site = site;
            this.cached = cached;
        }
    }

    @Override
    public Object siteHandle(final long site)
    {
        return new Handle(site, sites.get(site));
    }

    /** The handle's site while it is live, else the map's (possibly null), cached. */
    private Site site(final Handle handle)
    {
        final Site cached = handle.cached;
        if (cached != null && !cached.removed)
        {
            return cached;
        }
        final Site s = sites.get(handle.site);
        if (s != cached)
        {
            handle.cached = s; // not for an untracked site again: a shared handle stays unwritten
        }
        return s;
    }

    /** {@link #site(Handle)}, inserting the site as an observe by id does. */
    private Site siteOrInsert(final Handle handle)
    {
        final Site cached = handle.cached;
        if (cached != null && !cached.removed)
        {
            return cached;
        }
        final Site s = sites.computeIfAbsent(handle.site, k -> new Site());
        handle.cached = s;
        return s;
    }

    private static void observe(final AtomicReference<Ema> ref, final long sampleNs, final int a, final int b)
    {
        Ema current;
        do
        {
            current = ref.get();
        }
        while (!ref.compareAndSet(current, current.next(sampleNs, a, b)));
    }

    @Override
    public boolean observeRoundTrip(final long site, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            rejected.incrementAndGet();
            return false;
        }
        observeSite(sites.computeIfAbsent(site, k -> new Site()), elapsedNs, nowNs);
        observe(globalPrior, elapsedNs, 6, 5);
        return true;
    }

    @Override
    public boolean observeRoundTrip(final Object handle, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            rejected.incrementAndGet();
            return false;
        }
        observeSite(siteOrInsert((Handle)handle), elapsedNs, nowNs);
        observe(globalPrior, elapsedNs, 6, 5);
        return true;
    }

    @Override
    public boolean observeRoundTrip(
        final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            rejected.incrementAndGet();
            return false;
        }
        observeChained(sites.computeIfAbsent(site, k -> new Site()), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    @Override
    public boolean observeRoundTrip(
        final Object handle, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            rejected.incrementAndGet();
            return false;
        }
        observeChained(siteOrInsert((Handle)handle), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    private void observeChained(final Site s, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        observeSite(s, elapsedNs, nowNs);
        observe(s.edges.computeIfAbsent(new EdgeKey(chainId, hopIndex), k -> new AtomicReference<>(Ema.EMPTY)),
            elapsedNs, 3, 2);
        observe(chainPriors.computeIfAbsent(chainId, k -> new AtomicReference<>(Ema.EMPTY)), elapsedNs, 3, 2);
        observe(globalPrior, elapsedNs, 6, 5);
    }

    private void observeSite(final Site s, final long elapsedNs, final long nowNs)
    {
        observe(s.ema, elapsedNs, 3, 2);
        Heartbeats current;
        do
        {
            current = s.heartbeats.get();
            if (current.seen && nowNs < current.lastSeenNs)
            {
                break; // D3: a late now records nothing
            }
        }
        while (!s.heartbeats.compareAndSet(current, current.next(nowNs, historyCapacity)));
    }

    @Override
    public long estimateBudgetNs(final long site, final long staticDefaultNs)
    {
        return estimate(sites.get(site), staticDefaultNs);
    }

    @Override
    public long estimateBudgetNs(final Object handle, final long staticDefaultNs)
    {
        return estimate(site((Handle)handle), staticDefaultNs);
    }

    private long estimate(final Site s, final long staticDefaultNs)
    {
        if (s != null)
        {
            final Ema ema = s.ema.get();
            if (ema.isWarm())
            {
                return ema.budgetNs();
            }
        }
        return globalOrDefault(staticDefaultNs);
    }

    @Override
    public long estimateBudgetNs(final long site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        return estimate(sites.get(site), chainId, hopIndex, staticDefaultNs);
    }

    @Override
    public long estimateBudgetNs(final Object handle, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        return estimate(site((Handle)handle), chainId, hopIndex, staticDefaultNs);
    }

    private long estimate(final Site s, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        if (s != null)
        {
            final AtomicReference<Ema> edge = s.edges.get(new EdgeKey(chainId, hopIndex));
            if (edge != null)
            {
                final Ema ema = edge.get();
                if (ema.isWarm())
                {
                    return ema.budgetNs();
                }
            }
            final Ema ema = s.ema.get();
            if (ema.isWarm())
            {
                return ema.budgetNs();
            }
        }
        final AtomicReference<Ema> prior = chainPriors.get(chainId);
        if (prior != null)
        {
            final Ema ema = prior.get();
            if (ema.isWarm())
            {
                return ema.budgetNs();
            }
        }
        return globalOrDefault(staticDefaultNs);
    }

    private long globalOrDefault(final long staticDefaultNs)
    {
        final Ema ema = globalPrior.get();
        return ema.isWarm() ? ema.budgetNs() : staticDefaultNs;
    }

    @Override
    public double phi(final long site, final long nowNs)
    {
        if (nowNs < 0)
        {
            rejected.incrementAndGet();
            return 0.0;
        }
        return phiOf(sites.get(site), nowNs);
    }

    @Override
    public double phi(final Object handle, final long nowNs)
    {
        if (nowNs < 0)
        {
            rejected.incrementAndGet();
            return 0.0;
        }
        return phiOf(site((Handle)handle), nowNs);
    }

    private static double phiOf(final Site s, final long nowNs)
    {
        return s == null ? 0.0 : s.heartbeats.get().phi(nowNs);
    }

    public boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > suspectPhi;
    }

    public boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > downPhi;
    }

    @Override
    public boolean ingestReportedOutgoing(
        final long fromSite, final long nextHop, final long chainId, final long srttNs, final long rttvarNs,
        final long sampleCount)
    {
        if ((srttNs | rttvarNs | sampleCount) < 0)
        {
            rejected.incrementAndGet();
            return false;
        }
        sites.computeIfAbsent(fromSite, k -> new Site())
            .reported.put(new ReportKey(nextHop, chainId), new Ema(srttNs, rttvarNs, sampleCount));
        return true;
    }

    @Override
    public int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        if (nowNs < 0)
        {
            rejected.incrementAndGet();
            return 0;
        }
        int reported = 0;
        for (final Map.Entry<Long, Site> e : sites.entrySet())
        {
            final Site s = e.getValue();
            final double phi = s.heartbeats.get().phi(nowNs);
            final PhiState state = phi > downPhi ? PhiState.DOWN : phi > suspectPhi ? PhiState.SUSPECT : PhiState.LIVE;
            final int last = s.lastPhiState.get();
            if (last != state.ordinal() && s.lastPhiState.compareAndSet(last, state.ordinal()))
            {
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

    public long rejectedSampleCount()
    {
        return rejected.get();
    }

    @Override
    public RttTrackerSnapshot.Ema siteEma(final long site)
    {
        final Site s = sites.get(site);
        return s == null ? null : s.ema.get().snapshot();
    }

    @Override
    public long lastSeenNs(final long site)
    {
        final Site s = sites.get(site);
        if (s == null)
        {
            return -1;
        }
        final Heartbeats h = s.heartbeats.get();
        return h.seen ? h.lastSeenNs : -1;
    }

    @Override
    public RttTrackerSnapshot.Ema edgeEma(final long site, final long chainId, final int hopIndex)
    {
        final Site s = sites.get(site);
        final AtomicReference<Ema> ref = s == null ? null : s.edges.get(new EdgeKey(chainId, hopIndex));
        return ref == null ? null : ref.get().snapshot();
    }

    @Override
    public RttTrackerSnapshot.Ema chainPrior(final long chainId)
    {
        final AtomicReference<Ema> ref = chainPriors.get(chainId);
        return ref == null ? null : ref.get().snapshot();
    }

    @Override
    public RttTrackerSnapshot.Ema globalPrior()
    {
        return globalPrior.get().snapshot();
    }

    @Override
    public RttTrackerSnapshot.Ema reported(final long fromSite, final long nextHop, final long chainId)
    {
        final Site s = sites.get(fromSite);
        final Ema ema = s == null ? null : s.reported.get(new ReportKey(nextHop, chainId));
        return ema == null ? null : ema.snapshot();
    }

    @Override
    public long trackedSiteCount()
    {
        return sites.size();
    }

    @Override
    public boolean evictSite(final long site)
    {
        final Site s = sites.remove(site); // edges and reports live in the site's entry
        if (s == null)
        {
            return false;
        }
        s.removed = true; // after the removal: a handle that re-resolves on it finds the map without it
        return true;
    }

    @Override
    public int evictIdle(final long nowNs, final long idleNs)
    {
        int evicted = 0;
        for (final java.util.Map.Entry<Long, Site> entry : sites.entrySet())
        {
            final Site s = entry.getValue();
            final Heartbeats heartbeats = s.heartbeats.get();
            if (heartbeats.seen() && nowNs - heartbeats.lastSeenNs() >= idleNs && sites.remove(entry.getKey(), s))
            {
                s.removed = true;
                evicted++;
            }
        }
        return evicted;
    }
}
