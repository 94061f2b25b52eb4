package ai.bytesandbrains.rtt.baseline;

import ai.bytesandbrains.rtt.TrackerUnderTest;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.jctools.maps.NonBlockingHashMapLong;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Baseline 3: what a strong engineer writes on the heap with JCTools. Sites live in a
 * {@link NonBlockingHashMapLong} (primitive keys, lock-free, no boxing on {@code get}); each EMA is one
 * {@link EmaWord} updated by a compare-and-set through a {@link VarHandle}, with its exact sample count
 * beside it as an atomic add; the φ history is a lock-free {@code long[]} ring with an exact running sum.
 * Observe, estimate and φ allocate nothing once a key exists; a new key costs one object and one
 * {@code putIfAbsent}. Same operations and semantics as the other baselines (docs/semantics.md, D1 to D3, D5
 * with core's encoding, D6), and like them it grows without bound (no D7).
 *
 * <h2>Structure</h2>
 * <pre>
 *   sites:       NonBlockingHashMapLong&lt;Site&gt;   site id -&gt; Site
 *   Site:        EMA word + count, last-seen, history (claimed, completed, sum, ring), last φ state,
 *                edges   (lazy) NonBlockingHashMapLong&lt;Cell&gt;   chainId -&gt; Cells linked by hopIndex
 *                reports (lazy) NonBlockingHashMapLong&lt;Cell&gt;   nextHop -&gt; Cells linked by chainId
 *   chainPriors: NonBlockingHashMapLong&lt;Cell&gt;   chainId -&gt; Cell
 *   globalPrior: word + count in the middle of a long[], a cache line clear of anything else
 * </pre>
 * An edge key {@code (chainId, hopIndex)} and a report key {@code (nextHop, chainId)} do not fit one
 * {@code long}, so the map is keyed by the first part and the second is found in a short append-only
 * list (one hop per chain in the usual case), extended by a CAS on the last link.
 *
 * <h2>History</h2>
 * Lock-free rather than guarded by a per-site monitor: a monitor would be a lock on the observe path,
 * which the concurrency contract (docs/concurrency.md) rules out for core, and it inflates when threads share a site. Last-seen is
 * advanced by a CAS, whose winner owns the gap from the value it replaced; the gap then goes through
 * {@code claimed += 1; old = swap(ring[i], gap); sum += gap - old; completed += 1}, so the sum is the
 * ring's sum once racing heartbeats finish. A φ reader reads completed, sum, claimed and accepts the view
 * when claimed == completed, a bounded number of times, then last-seen again. This is the protocol of
 * core's {@code HeartbeatHistory}, on the heap: the comparison then measures storage (objects in a hash
 * map against fixed off-heap records), not a weaker history.
 *
 * <h2>Threading</h2>
 * Every method may be called by any number of threads. A reader sees whole EMA words; a count read
 * before its word lags it by the observes in flight. Eviction removes the site's map entry (its edges
 * and reports go with it); a writer that looked the site up before the removal finishes on the detached
 * object, as in the other baselines.
 *
 * <h2>Handles</h2>
 * A handle ({@link #siteHandle}) caches the site's {@link Site}, which eviction marks removed once it is out
 * of the map: a handle call costs one acquire read (a plain load on x86) more than holding the site, and no
 * map lookup while the site is live. A call racing the eviction finishes on the detached site, as one by id.
 */
public final class JcToolsRttTracker implements TrackerUnderTest
{
    private static final int ALPHA_SHIFT = 3;
    private static final int BETA_SHIFT = 2;
    private static final int GLOBAL_ALPHA_SHIFT = 6;
    private static final int GLOBAL_BETA_SHIFT = 5;
    /** Last-seen of a site never seen: below every valid {@code now} (D1, D2), so the first CAS wins. */
    private static final long NEVER_SEEN = -1;
    /** Views a φ reader tries before it settles for one with a heartbeat in flight. */
    private static final int MAX_READ_ATTEMPTS = 16;
    /** The global prior's word and count sit at these indexes of a long[], 64 bytes from either end. */
    private static final int GLOBAL_WORD = 8;
    private static final int GLOBAL_COUNT = GLOBAL_WORD + 1;
    private static final int GLOBAL_CELL_LENGTH = GLOBAL_COUNT + 1 + 8;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CELL_WORD;
    private static final VarHandle CELL_COUNT;
    private static final VarHandle CELL_NEXT;
    private static final VarHandle SITE_LAST_SEEN;
    private static final VarHandle SITE_CLAIMED;
    private static final VarHandle SITE_COMPLETED;
    private static final VarHandle SITE_SUM;
    private static final VarHandle SITE_PHI_STATE;
    private static final VarHandle SITE_EDGES;
    private static final VarHandle SITE_REPORTS;
    private static final VarHandle SITE_REMOVED;
    private static final VarHandle HANDLE_CACHED;
    private static final VarHandle REJECTED;
    private static final VarHandle NON_QUIESCENT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CELL_WORD = lookup.findVarHandle(Cell.class, "word", long.class);
            CELL_COUNT = lookup.findVarHandle(Cell.class, "count", long.class);
            CELL_NEXT = lookup.findVarHandle(Cell.class, "next", Cell.class);
            SITE_LAST_SEEN = lookup.findVarHandle(Site.class, "lastSeenNs", long.class);
            SITE_CLAIMED = lookup.findVarHandle(Site.class, "claimed", long.class);
            SITE_COMPLETED = lookup.findVarHandle(Site.class, "completed", long.class);
            SITE_SUM = lookup.findVarHandle(Site.class, "sumNs", long.class);
            SITE_PHI_STATE = lookup.findVarHandle(Site.class, "phiState", int.class);
            SITE_EDGES = lookup.findVarHandle(Site.class, "edges", NonBlockingHashMapLong.class);
            SITE_REPORTS = lookup.findVarHandle(Site.class, "reports", NonBlockingHashMapLong.class);
            SITE_REMOVED = lookup.findVarHandle(Site.class, "removed", boolean.class);
            HANDLE_CACHED = lookup.findVarHandle(Handle.class, "cached", Site.class);
            REJECTED = lookup.findVarHandle(JcToolsRttTracker.class, "rejected", long.class);
            NON_QUIESCENT = lookup.findVarHandle(JcToolsRttTracker.class, "nonQuiescentReads", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int historyCapacity;
    private final long historyMaxValueNs;
    private final double suspectPhi;
    private final double downPhi;
    private final NonBlockingHashMapLong<Site> sites = new NonBlockingHashMapLong<>();
    private final NonBlockingHashMapLong<Cell> chainPriors = new NonBlockingHashMapLong<>();
    private final long[] globalPrior = new long[GLOBAL_CELL_LENGTH];
    private long rejected; // atomic adds through REJECTED; bad input only
    private long nonQuiescentReads; // atomic adds through NON_QUIESCENT; φ reads that used a non-quiescent view

    public JcToolsRttTracker(final int historyCapacity, final double suspectPhi, final double downPhi)
    {
        this.historyCapacity = historyCapacity;
        this.historyMaxValueNs = Long.MAX_VALUE / historyCapacity; // clamp so the sum of a full ring fits (D6)
        this.suspectPhi = suspectPhi;
        this.downPhi = downPhi;
    }

    public JcToolsRttTracker()
    {
        this(1000, 8.0, 16.0);
    }

    /**
     * An EMA word and its count, with a key and a link for the edge and report lists (a site's key is its
     * id). Mutable fields are accessed only through the VarHandles above; a cell is published by the map's
     * CAS or by {@link #CELL_NEXT}'s, so its final key needs nothing more.
     */
    static class Cell
    {
        final long key;
        long word;
        long count;
        Cell next;

        Cell(final long key)
        {
            this.key = key;
        }
    }

    /** One site: its EMA is the inherited cell; see the class comment for the rest. */
    static final class Site extends Cell
    {
        final long[] ring;
        long lastSeenNs = NEVER_SEEN; // plain: the map's putIfAbsent publishes the site
        long claimed;
        long completed;
        long sumNs;
        int phiState = PhiState.LIVE.ordinal();
        NonBlockingHashMapLong<Cell> edges;
        NonBlockingHashMapLong<Cell> reports;
        boolean removed; // released once eviction took the site out of the map; a handle holding it re-resolves

        Site(final long id, final int historyCapacity)
        {
            super(id);
            this.ring = new long[historyCapacity];
        }
    }

    /**
     * A site's handle: its id and its site as last resolved ({@code null}: not tracked then), the cache
     * read with acquire and written with release, so a site another thread cached is seen whole (its plain
     * fields were published by the map). Belongs to the tracker that made it (not checked).
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

    // ------------------------------------------------------------------------------------------------
    // EMA cells: one CAS loop reusing the witness, then the count (reader rule: count, then word)
    // ------------------------------------------------------------------------------------------------

    private static void observe(final Cell cell, final long sampleNs, final int a, final int b)
    {
        long word = (long)CELL_WORD.getAcquire(cell); // a guess; the CAS validates it
        long witness;
        while ((witness = (long)CELL_WORD.compareAndExchange(cell, word, EmaWord.update(word, sampleNs, a, b))) != word)
        {
            word = witness;
        }
        CELL_COUNT.getAndAdd(cell, 1L); // after the word: a reader reading count then word never sees it ahead
    }

    private static long word(final Cell cell)
    {
        return (long)CELL_WORD.getAcquire(cell);
    }

    private static RttTrackerSnapshot.Ema snapshot(final Cell cell)
    {
        final long count = (long)CELL_COUNT.getVolatile(cell); // count before word, see observe
        return RttTrackerSnapshot.Ema.of((long)CELL_WORD.getVolatile(cell), count);
    }

    /** {@link #observe(Cell, long, int, int)} on the padded global cell. */
    private void observeGlobal(final long sampleNs)
    {
        final long[] cell = globalPrior;
        long word = (long)LONGS.getAcquire(cell, GLOBAL_WORD);
        long witness;
        while ((witness = (long)LONGS.compareAndExchange(
            cell, GLOBAL_WORD, word, EmaWord.update(word, sampleNs, GLOBAL_ALPHA_SHIFT, GLOBAL_BETA_SHIFT))) != word)
        {
            word = witness;
        }
        LONGS.getAndAdd(cell, GLOBAL_COUNT, 1L);
    }

    // ------------------------------------------------------------------------------------------------
    // Lookups: get first, putIfAbsent only for a key not yet there
    // ------------------------------------------------------------------------------------------------

    private Site siteOrInsert(final long id)
    {
        final Site site = sites.get(id);
        if (site != null)
        {
            return site;
        }
        final Site fresh = new Site(id, historyCapacity);
        final Site raced = sites.putIfAbsent(id, fresh);
        return raced == null ? fresh : raced;
    }

    @Override
    public Object siteHandle(final long site)
    {
        return new Handle(site, sites.get(site));
    }

    /** The handle's site while it is live, else the map's (possibly null), cached. */
    private Site site(final Handle handle)
    {
        final Site cached = (Site)HANDLE_CACHED.getAcquire(handle);
        if (cached != null && !(boolean)SITE_REMOVED.getAcquire(cached))
        {
            return cached;
        }
        final Site site = sites.get(handle.site);
        if (site != cached)
        {
            HANDLE_CACHED.setRelease(handle, site); // not for an untracked site again: a shared handle stays unwritten
        }
        return site;
    }

    /** {@link #site(Handle)}, inserting the site as an observe by id does. */
    private Site siteOrInsert(final Handle handle)
    {
        final Site cached = (Site)HANDLE_CACHED.getAcquire(handle);
        if (cached != null && !(boolean)SITE_REMOVED.getAcquire(cached))
        {
            return cached;
        }
        final Site site = siteOrInsert(handle.site);
        HANDLE_CACHED.setRelease(handle, site);
        return site;
    }

    private static Cell cellOrInsert(final NonBlockingHashMapLong<Cell> map, final long key)
    {
        final Cell cell = map.get(key);
        if (cell != null)
        {
            return cell;
        }
        final Cell fresh = new Cell(0);
        final Cell raced = map.putIfAbsent(key, fresh);
        return raced == null ? fresh : raced;
    }

    /** Find {@code (mapKey, listKey)}, appending a cell to the map key's list when it is missing. */
    private static Cell linkedOrInsert(final NonBlockingHashMapLong<Cell> map, final long mapKey, final long listKey)
    {
        Cell cell = map.get(mapKey);
        if (cell == null)
        {
            final Cell fresh = new Cell(listKey);
            cell = map.putIfAbsent(mapKey, fresh);
            if (cell == null)
            {
                return fresh;
            }
        }
        Cell fresh = null;
        while (cell.key != listKey)
        {
            final Cell next = (Cell)CELL_NEXT.getAcquire(cell);
            if (next != null)
            {
                cell = next;
                continue;
            }
            if (fresh == null)
            {
                fresh = new Cell(listKey);
            }
            // CAS on the tail link: racing appenders of one key end with one cell, the loser walks on to it.
            final Cell witness = (Cell)CELL_NEXT.compareAndExchange(cell, (Cell)null, fresh);
            if (witness == null)
            {
                return fresh;
            }
            cell = witness;
        }
        return cell;
    }

    private static Cell linked(final NonBlockingHashMapLong<Cell> map, final long mapKey, final long listKey)
    {
        if (map == null)
        {
            return null;
        }
        Cell cell = map.get(mapKey);
        while (cell != null && cell.key != listKey)
        {
            cell = (Cell)CELL_NEXT.getAcquire(cell);
        }
        return cell;
    }

    @SuppressWarnings("unchecked")
    private static NonBlockingHashMapLong<Cell> edges(final Site site)
    {
        return (NonBlockingHashMapLong<Cell>)SITE_EDGES.getAcquire(site);
    }

    @SuppressWarnings("unchecked")
    private static NonBlockingHashMapLong<Cell> reports(final Site site)
    {
        return (NonBlockingHashMapLong<Cell>)SITE_REPORTS.getAcquire(site);
    }

    /** Cold path of the lazily created per-site maps: one CAS, the loser adopts the winner's map. */
    @SuppressWarnings("unchecked")
    private static NonBlockingHashMapLong<Cell> create(final Site site, final VarHandle field)
    {
        final NonBlockingHashMapLong<Cell> fresh = new NonBlockingHashMapLong<>();
        final NonBlockingHashMapLong<Cell> raced =
            (NonBlockingHashMapLong<Cell>)field.compareAndExchange(site, (NonBlockingHashMapLong<Cell>)null, fresh);
        return raced == null ? fresh : raced;
    }

    // ------------------------------------------------------------------------------------------------
    // Observe and ingest
    // ------------------------------------------------------------------------------------------------

    @Override
    public boolean observeRoundTrip(final long site, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        observeSite(siteOrInsert(site), elapsedNs, nowNs);
        observeGlobal(elapsedNs);
        return true;
    }

    @Override
    public boolean observeRoundTrip(final Object handle, final long elapsedNs, final long nowNs)
    {
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        observeSite(siteOrInsert((Handle)handle), elapsedNs, nowNs);
        observeGlobal(elapsedNs);
        return true;
    }

    @Override
    public boolean observeRoundTrip(
        final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        observeChained(siteOrInsert(site), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    @Override
    public boolean observeRoundTrip(
        final Object handle, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        SynchronizedRttTracker.checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        observeChained(siteOrInsert((Handle)handle), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    private void observeChained(final Site s, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        observeSite(s, elapsedNs, nowNs);
        final NonBlockingHashMapLong<Cell> edges = edges(s);
        observe(linkedOrInsert(edges != null ? edges : create(s, SITE_EDGES), chainId, hopIndex),
            elapsedNs, ALPHA_SHIFT, BETA_SHIFT);
        observe(cellOrInsert(chainPriors, chainId), elapsedNs, ALPHA_SHIFT, BETA_SHIFT);
        observeGlobal(elapsedNs);
    }

    private void observeSite(final Site site, final long elapsedNs, final long nowNs)
    {
        observe(site, elapsedNs, ALPHA_SHIFT, BETA_SHIFT);
        heartbeat(site, nowNs);
    }

    /** Advance last-seen by CAS (never backwards, D3), then record the gap the winning CAS closed. */
    private void heartbeat(final Site site, final long nowNs)
    {
        long lastSeen = (long)SITE_LAST_SEEN.getAcquire(site);
        while (nowNs >= lastSeen) // NEVER_SEEN is below every valid now
        {
            final long witness = (long)SITE_LAST_SEEN.compareAndExchange(site, lastSeen, nowNs);
            if (witness == lastSeen)
            {
                if (lastSeen != NEVER_SEEN)
                {
                    record(site, Math.min(nowNs - lastSeen, historyMaxValueNs));
                }
                return;
            }
            lastSeen = witness;
        }
    }

    private void record(final Site site, final long gapNs)
    {
        // claimed first and completed last, so that a reader seeing them equal saw no record in flight; the
        // swap hands each racer the exact value it evicts, so the sum stays the ring's sum.
        final long index = (long)SITE_CLAIMED.getAndAdd(site, 1L);
        final long evicted = (long)LONGS.getAndSet(site.ring, (int)(index % historyCapacity), gapNs);
        SITE_SUM.getAndAdd(site, gapNs - evicted);
        SITE_COMPLETED.getAndAdd(site, 1L);
    }

    @Override
    public boolean ingestReportedOutgoing(
        final long fromSite, final long nextHop, final long chainId, final long srttNs, final long rttvarNs,
        final long sampleCount)
    {
        if ((srttNs | rttvarNs | sampleCount) < 0)
        {
            return reject();
        }
        final Site site = siteOrInsert(fromSite);
        final NonBlockingHashMapLong<Cell> reports = reports(site);
        final Cell report = linkedOrInsert(reports != null ? reports : create(site, SITE_REPORTS), nextHop, chainId);
        CELL_WORD.setRelease(report, EmaWord.pack(sampleCount, srttNs, rttvarNs)); // the word whole, before its count
        CELL_COUNT.setRelease(report, sampleCount); // a reader seeing this count sees this word or a newer one
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // Estimate
    // ------------------------------------------------------------------------------------------------

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
            final long word = word(s);
            if (EmaWord.isWarm(word))
            {
                return EmaWord.budgetNs(word);
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
            final Cell edge = linked(edges(s), chainId, hopIndex);
            if (edge != null)
            {
                final long word = word(edge);
                if (EmaWord.isWarm(word))
                {
                    return EmaWord.budgetNs(word);
                }
            }
            final long word = word(s);
            if (EmaWord.isWarm(word))
            {
                return EmaWord.budgetNs(word);
            }
        }
        final Cell prior = chainPriors.get(chainId);
        if (prior != null)
        {
            final long word = word(prior);
            if (EmaWord.isWarm(word))
            {
                return EmaWord.budgetNs(word);
            }
        }
        return globalOrDefault(staticDefaultNs);
    }

    private long globalOrDefault(final long staticDefaultNs)
    {
        final long word = (long)LONGS.getAcquire(globalPrior, GLOBAL_WORD);
        return EmaWord.isWarm(word) ? EmaWord.budgetNs(word) : staticDefaultNs;
    }

    // ------------------------------------------------------------------------------------------------
    // φ-accrual
    // ------------------------------------------------------------------------------------------------

    @Override
    public double phi(final long site, final long nowNs)
    {
        if (nowNs < 0)
        {
            reject();
            return 0.0;
        }
        return phiOf(sites.get(site), nowNs);
    }

    @Override
    public double phi(final Object handle, final long nowNs)
    {
        if (nowNs < 0)
        {
            reject();
            return 0.0;
        }
        return phiOf(site((Handle)handle), nowNs);
    }

    private double phiOf(final Site s, final long nowNs)
    {
        return s == null ? 0.0 : phiOf(s, (long)SITE_LAST_SEEN.getAcquire(s), nowNs);
    }

    public boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > suspectPhi;
    }

    public boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > downPhi;
    }

    /**
     * φ from one view of last-seen and the history. A heartbeat moves last-seen before it records its gap,
     * so last-seen is read again after the history and the pair retried if it moved.
     */
    private double phiOf(final Site site, final long lastSeenRead, final long nowNs)
    {
        long lastSeen = lastSeenRead;
        long sum = 0;
        long completed = 0;
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS && lastSeen != NEVER_SEEN; attempt++)
        {
            // In this order: completed, sum, claimed. claimed == completed proves no record overlapped the sum.
            int tries = 0;
            while (true)
            {
                completed = (long)SITE_COMPLETED.getAcquire(site);
                sum = (long)SITE_SUM.getAcquire(site);
                if ((long)SITE_CLAIMED.getAcquire(site) == completed)
                {
                    break;
                }
                if (++tries == MAX_READ_ATTEMPTS)
                {
                    NON_QUIESCENT.getAndAdd(this, 1L); // settle for this view, and say so
                    break;
                }
                Thread.onSpinWait();
            }
            final long again = (long)SITE_LAST_SEEN.getAcquire(site);
            if (again == lastSeen)
            {
                break;
            }
            lastSeen = again;
        }
        if (lastSeen == NEVER_SEEN)
        {
            return 0.0;
        }
        return PhiAccrual.phi(nowNs - lastSeen, sum, Math.min(completed, historyCapacity));
    }

    @Override
    public int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        if (nowNs < 0)
        {
            reject();
            return 0;
        }
        int reported = 0;
        for (final Site site : sites.values())
        {
            final int last = (int)SITE_PHI_STATE.getAcquire(site);
            final long lastSeen = (long)SITE_LAST_SEEN.getAcquire(site);
            final double phi = phiOf(site, lastSeen, nowNs);
            final PhiState state = PhiAccrual.classify(phi, suspectPhi, downPhi);
            // Skip a verdict a heartbeat overtook while it was computed; the CAS lets one of racing scans report.
            if (last != state.ordinal() &&
                (long)SITE_LAST_SEEN.getAcquire(site) == lastSeen &&
                SITE_PHI_STATE.compareAndSet(site, last, state.ordinal()))
            {
                reported++;
                handler.onTransition(site.key, state, phi);
            }
        }
        return reported;
    }

    // ------------------------------------------------------------------------------------------------
    // Eviction
    // ------------------------------------------------------------------------------------------------

    @Override
    public boolean evictSite(final long site)
    {
        final Site removed = sites.remove(site); // edges and reports live in the site
        if (removed == null)
        {
            return false;
        }
        SITE_REMOVED.setRelease(removed, true); // after the removal: a handle that sees it re-resolves to a new site
        return true;
    }

    @Override
    public int evictIdle(final long nowNs, final long idleNs)
    {
        int evicted = 0;
        for (final Site site : sites.values())
        {
            final long lastSeen = (long)SITE_LAST_SEEN.getAcquire(site);
            // remove(key, value): a site re-inserted under the same id since the iterator saw it stays.
            if (lastSeen != NEVER_SEEN && nowNs - lastSeen >= idleNs && sites.remove(site.key, site))
            {
                SITE_REMOVED.setRelease(site, true);
                evicted++;
            }
        }
        return evicted;
    }

    // ------------------------------------------------------------------------------------------------
    // Chain id, counters, inspection
    // ------------------------------------------------------------------------------------------------

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

    private boolean reject()
    {
        REJECTED.getAndAdd(this, 1L);
        return false;
    }

    public long rejectedSampleCount()
    {
        return (long)REJECTED.getVolatile(this);
    }

    /** @return φ reads that found a heartbeat in flight on every attempt and used their last view. */
    public long nonQuiescentReadCount()
    {
        return (long)NON_QUIESCENT.getVolatile(this);
    }

    @Override
    public RttTrackerSnapshot.Ema siteEma(final long site)
    {
        final Site s = sites.get(site);
        return s == null ? null : snapshot(s);
    }

    @Override
    public long lastSeenNs(final long site)
    {
        final Site s = sites.get(site);
        return s == null ? -1 : (long)SITE_LAST_SEEN.getAcquire(s); // NEVER_SEEN is the interface's -1
    }

    @Override
    public RttTrackerSnapshot.Ema edgeEma(final long site, final long chainId, final int hopIndex)
    {
        final Site s = sites.get(site);
        final Cell edge = s == null ? null : linked(edges(s), chainId, hopIndex);
        return edge == null ? null : snapshot(edge);
    }

    @Override
    public RttTrackerSnapshot.Ema chainPrior(final long chainId)
    {
        final Cell prior = chainPriors.get(chainId);
        return prior == null ? null : snapshot(prior);
    }

    @Override
    public RttTrackerSnapshot.Ema globalPrior()
    {
        final long count = (long)LONGS.getVolatile(globalPrior, GLOBAL_COUNT); // count before word
        return RttTrackerSnapshot.Ema.of((long)LONGS.getVolatile(globalPrior, GLOBAL_WORD), count);
    }

    @Override
    public RttTrackerSnapshot.Ema reported(final long fromSite, final long nextHop, final long chainId)
    {
        final Site s = sites.get(fromSite);
        final Cell report = s == null ? null : linked(reports(s), nextHop, chainId);
        return report == null ? null : snapshot(report);
    }

    @Override
    public long trackedSiteCount()
    {
        return sites.size();
    }
}
