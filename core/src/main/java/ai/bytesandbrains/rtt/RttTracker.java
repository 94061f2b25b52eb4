package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.RecordClaims;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import ai.bytesandbrains.rtt.state.TrackerReader;
import ai.bytesandbrains.rtt.state.ReaderFacade;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.MAX_HOP_INDEX;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;

/**
 * Per-site round-trip-time tracker: Jacobson/Karels EMAs per site, per edge, per chain and globally;
 * a five-tier deadline budget (edge, site, chain, global, static); and a φ-accrual failure detector per
 * site. A port of the Rust crate bb-runtime's {@code rtt_tracker} module; docs/semantics.md states what it
 * computes, and the package documentation what differs from the reference and what goes beyond it.
 *
 * <h2>Threading contract</h2>
 * Every method but {@link #importSnapshot} may be called by any number of threads at once. Observe,
 * estimate, φ, ingest and scan take no lock and allocate nothing: every EMA is one 64-bit word updated by
 * a CAS loop, or for the priors by the thread owning a stripe (StripedPrior: the published prior is then
 * the last-publishing stripe's EMA), tables are lock-free hash tables whose records carry a generation,
 * and histories keep an exact running sum. An observe claims its site record (one CAS, released by a
 * store), which holds it against eviction and makes it the only writer of the site's count and history
 * totals; an observe that finds the site claimed does not wait but pins it (two atomic adds) and counts on
 * words of its own. Edges are claimed the same way. Readers check the record's generation after reading.
 * A concurrent reader sees:
 * <ul>
 *   <li>an EMA as of some sequence of whole observes, never srtt of one state and rttvar of another;</li>
 *   <li>the tiers of one observe (site, edge, chain, global) updated one after another, not as one
 *   transaction;</li>
 *   <li>a sample count that lags its EMA word by the observes in flight, and never loses one;</li>
 *   <li>a new site, edge, chain or report absent or complete; two threads inserting one key end with one
 *   record;</li>
 *   <li>a site racing {@link #evictSite eviction} whole as it was or absent, never mixed with a later
 *   occupant of its record.</li>
 * </ul>
 *
 * <h2>Bad input (D1, D4, D7)</h2>
 * Negative {@code elapsedNs}, {@code nowNs} or reported values are dropped and counted in
 * {@link #rejectedSampleCount()}; nothing is thrown. A {@code hopIndex} outside 0..255 is a programming
 * error and throws {@link IllegalArgumentException}. A full table tracks no new key, still updates the other
 * tiers, and counts the overflow. Every call after {@link #close()} throws {@link IllegalStateException}.
 *
 * <p>This class holds the hot writes and the lifecycle. Every reading goes through {@link #reader()}, the
 * {@link TrackerReader} a file's reader uses too; φ, scans, eviction, naming, request marks, restart
 * repair and import are package-private rooms' jobs.
 */
public final class RttTracker implements AutoCloseable, ReaderFacade, FailureDetector
{
    /** Local pauses remembered for φ: a few minutes of GC pauses and scan gaps. */
    public static final int LOCAL_PAUSE_LOG_CAPACITY = TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;
    /** Largest hop index. */
    public static final int MAX_HOP_INDEX = TrackerLayout.MAX_HOP_INDEX;
    /** Longest site name stored, in UTF-8 bytes; a longer one is dropped and counted. */
    public static final int MAX_NAME_BYTES = NameTable.MAX_NAME_BYTES;
    /** {@link #requestStarted} result when nothing was marked; {@link #requestEnded} ignores it. */
    public static final long NO_TICKET = RecordTable.NOT_FOUND;

    private final RttTrackerConfig config;
    private final TrackerTables tables;
    private final TrackerLayout layout;
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final SiteNaming naming;
    private final RequestMarker requests;
    private final SiteWriter siteWriter;
    private final SiteHandleResolver handles;
    private final int alphaShift;
    private final int betaShift;
    private final StripedPrior priors;
    private final int budgetMultiplier;
    private final TrackerReader reader;
    private final PhiDetector detector;
    private final SiteEvictor evictor;
    private final RestartClock restartClock = new RestartClock();
    final TrackerRecovery recovery;
    private final FullTableWarnings fullTables;
    private volatile boolean closed; // volatile: close() on one thread is seen by calls on any other
    // Volatile: set once by the buffer's owner, read only by evictions (cold), so any evicting thread sees it.
    private volatile Runnable evictionGuard = () -> {};

    RttTracker(final RttTrackerConfig config, final TrackerLayout layout, final AtomicBuffer buffer)
    {
        this.config = config;
        this.buffer = buffer;
        this.layout = layout;
        tables = new TrackerTables(layout, buffer);
        sites = tables.sites();
        edges = tables.edges();
        chains = tables.chains();
        reported = tables.reported();
        naming = new SiteNaming(tables.names());
        siteWriter = new SiteWriter(tables, config);
        alphaShift = config.emaShifts().alphaShift();
        betaShift = config.emaShifts().betaShift();
        priors = new StripedPrior(buffer, layout, chains);
        budgetMultiplier = config.budgetMultiplier();
        requests = new RequestMarker(buffer, sites, config.idleAwarePhi());
        reader = new TrackerReader(tables, detail -> new IllegalStateException("tracker state is corrupt: " + detail));
        handles = new SiteHandleResolver(sites, reader);
        detector = new PhiDetector(config, tables, reader, restartClock);
        evictor = new SiteEvictor(tables, restartClock);
        recovery = new TrackerRecovery(tables, restartClock, evictor);
        fullTables = new FullTableWarnings(sites, edges, chains, reported);
    }

    /**
     * Any thread; the builder itself is not thread-safe.
     *
     * @return a builder with the reference's defaults.
     */
    public static RttTrackerConfig.Builder builder()
    {
        return RttTrackerConfig.builder();
    }

    /**
     * Bytes of buffer a configuration needs. Pure; any thread.
     *
     * @param config the configuration.
     * @return the length; a value above {@link Integer#MAX_VALUE} cannot be built.
     */
    public static long requiredBufferLength(final RttTrackerConfig config)
    {
        return new TrackerLayout(config).totalLength();
    }

    /**
     * Immutable; any thread, also after {@link #close()}.
     *
     * @return the configuration.
     */
    public RttTrackerConfig config()
    {
        return config;
    }

    /**
     * Any thread, also after {@link #close()}; the buffer is shared with every thread using the tracker.
     *
     * @return the buffer holding the whole state; writing to it voids every guarantee.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Immutable; any thread, also after {@link #close()}.
     *
     * @return the layout of {@link #buffer()}.
     */
    public TrackerLayout layout()
    {
        return layout;
    }

    /**
     * The read path, shared with {@code TrackerFileReader}: every reading (each documented in
     * {@link ai.bytesandbrains.rtt.state.TrackerReadings}), φ without counting, the counters and the
     * snapshot. Any thread; a reader obtained before {@link #close()} keeps reading valid memory.
     *
     * @return the reader, which never writes.
     * @throws IllegalStateException after {@link #close()}.
     */
    @Override
    public TrackerReader reader()
    {
        checkOpen();
        return reader;
    }

    /**
     * Any thread, also after {@link #close()}; for tests, fixtures and tools that look inside.
     *
     * @return the buffer's tables.
     */
    public TrackerTables tables()
    {
        return tables;
    }

    /**
     * Feed a round trip with no chain context: the site EMA and the site's φ heartbeat, then the global
     * prior. Thread-safe, lock-free, allocation-free.
     *
     * @param site      the peer site.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @param nowNs     the time the response arrived on a monotonic clock, {@code >= 0}.
     * @return {@code false} when the sample was rejected (negative time) and only counted.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean observeRoundTrip(final long site, final long elapsedNs, final long nowNs)
    {
        checkOpen();
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        // The inlinable fast path of the site's claim here, the insert path (a call) only on a miss: a helper
        // holding both, compiled on its own during a warm-up of inserts, would be too big to inline.
        final long head = RecordClaims.claimLiveHead(sites, site, 0, 0);
        final long held = head != RecordTable.NOT_FOUND ? head : RecordClaims.claimOrInsert(sites, site, 0, 0);
        unpinSite(observeSite(held, elapsedNs, nowNs));
        priors.observeGlobal(elapsedNs);
        return true;
    }

    /**
     * {@link #observeRoundTrip(long, long, long)} through a handle, skipping the site's lookup; the same
     * results bit for bit. Thread-safe, lock-free, allocation-free.
     *
     * @param site      a handle from this tracker's {@link #siteHandle(long)}.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @param nowNs     the time the response arrived on a monotonic clock, {@code >= 0}.
     * @return {@code false} when the sample was rejected (negative time) and only counted.
     * @throws IllegalArgumentException when the handle is another tracker's.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public boolean observeRoundTrip(final SiteHandle site, final long elapsedNs, final long nowNs)
    {
        checkOpen();
        if ((elapsedNs | nowNs) < 0)
        {
            handles.siteOf(site); // a foreign handle throws even with a rejected sample
            return reject();
        }
        unpinSite(observeSite(handles.hold(site), elapsedNs, nowNs));
        priors.observeGlobal(elapsedNs);
        return true;
    }

    /**
     * Feed a round trip in a chain context: the site EMA and φ heartbeat, the edge
     * {@code (site, chainId, hopIndex)}, the chain prior, then the global prior, in that order and
     * each atomically on its own. Thread-safe, lock-free, allocation-free.
     *
     * @param site      the peer site.
     * @param chainId   the chain, see {@link ChainIds}.
     * @param hopIndex  the zero-based hop, 0..255.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @param nowNs     the time the response arrived on a monotonic clock, {@code >= 0}.
     * @return {@code false} when the sample was rejected (negative time) and only counted.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public boolean observeRoundTrip(
        final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        checkOpen();
        checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            return reject();
        }
        final long head = RecordClaims.claimLiveHead(sites, site, 0, 0); // as in the observe without a chain
        final long held = head != RecordTable.NOT_FOUND ? head : RecordClaims.claimOrInsert(sites, site, 0, 0);
        observeChained(held, site, chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    /**
     * {@link #observeRoundTrip(long, long, int, long, long)} through a handle, skipping the site's lookup; the
     * same results bit for bit. Thread-safe, lock-free, allocation-free.
     *
     * @param site      a handle from this tracker's {@link #siteHandle(long)}.
     * @param chainId   the chain, see {@link ChainIds}.
     * @param hopIndex  the zero-based hop, 0..255.
     * @param elapsedNs the round-trip time, {@code >= 0}.
     * @param nowNs     the time the response arrived on a monotonic clock, {@code >= 0}.
     * @return {@code false} when the sample was rejected (negative time) and only counted.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255 or the handle is another tracker's.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public boolean observeRoundTrip(
        final SiteHandle site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        checkOpen();
        checkHop(hopIndex);
        if ((elapsedNs | nowNs) < 0)
        {
            handles.siteOf(site); // a foreign handle throws even with a rejected sample
            return reject();
        }
        observeChained(handles.hold(site), site.site(), chainId, hopIndex, elapsedNs, nowNs);
        return true;
    }

    /** The tiers of an accepted observe in chain context, from the site's hold on. */
    private void observeChained(
        final long held, final long site, final long chainId, final int hopIndex, final long elapsedNs, final long nowNs)
    {
        // The site stays held (claimed or pinned) until its edge is written, so that an eviction of the site,
        // which waits for its claim and pins before sweeping edges, also removes an edge this observe creates.
        final long siteHandle = observeSite(held, elapsedNs, nowNs);
        try
        {
            if (!siteWriter.writeEdge(site, chainId, hopIndex, elapsedNs))
            {
                fullTables.refused(edges);
            }
        }
        finally
        {
            unpinSite(siteHandle);
        }
        // Chain priors are never evicted, so their records need no pin; both priors go through this thread's stripe.
        final int stripe = priors.stripe();
        final long head = chains.liveHead(chainId, 0, 0); // inlinable; findOrInsert only for a new or non-head chain
        final long chain = head != RecordTable.NOT_FOUND ? head : chains.findOrInsert(chainId, 0, 0);
        if (chain != RecordTable.NOT_FOUND)
        {
            priors.observeChain(stripe, chain, elapsedNs);
        }
        else
        {
            fullTables.refused(chains);
        }
        priors.observeGlobal(stripe, elapsedNs);
    }

    /**
     * Feed the site tier and heartbeat into the record {@code held} (or note a full table); returns it still
     * claimed or pinned (or NOT_FOUND), for the caller to release once it has written the site's edge too.
     */
    private long observeSite(final long held, final long elapsedNs, final long nowNs)
    {
        if (held == RecordTable.NOT_FOUND)
        {
            fullTables.refused(sites);
            restartClock.note(nowNs); // a full table: the case a restart clock is for, and off the steady path
        }
        else
        {
            try
            {
                if (siteWriter.write(held, elapsedNs, nowNs))
                {
                    restartClock.note(nowNs); // a site's first heartbeat since the restart: off the steady path
                }
            }
            catch (final RuntimeException | Error ex)
            {
                RecordClaims.release(sites, held);
                throw ex;
            }
        }
        return held;
    }

    private void unpinSite(final long held)
    {
        if (held != RecordTable.NOT_FOUND)
        {
            RecordClaims.release(sites, held);
        }
    }

    /**
     * Find or insert a key and pin its record for writing ({@link RecordTable#pinOrInsert}); a refusal by
     * a full table, already the slow path, is noted for its once-only warning.
     */
    private long pinOrInsert(final RecordTable table, final long key0, final long key1, final long key2)
    {
        final long handle = table.pinOrInsert(key0, key1, key2);
        return handle != RecordTable.NOT_FOUND ? handle : fullTables.refused(table);
    }

    /**
     * Store what {@code fromSite} reported about its own outgoing edge to {@code nextHop} in
     * {@code chainId}, overwriting any earlier report; {@code fromSite} becomes tracked (never seen, so
     * its φ is 0). Thread-safe, lock-free, allocation-free. Reports of the same entry racing each other
     * end with a whole EMA word from one report; the stored count is from one of them.
     *
     * @param fromSite    the reporting site.
     * @param nextHop     its next hop.
     * @param chainId     the chain.
     * @param srttNs      reported srtt, {@code >= 0}.
     * @param rttvarNs    reported rttvar, {@code >= 0}.
     * @param sampleCount reported sample count, {@code >= 0}.
     * @return {@code false} when rejected for a negative value (counted) or not stored for want of room.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean ingestReportedOutgoing(
        final long fromSite, final long nextHop, final long chainId,
        final long srttNs, final long rttvarNs, final long sampleCount)
    {
        checkOpen();
        if ((srttNs | rttvarNs | sampleCount) < 0)
        {
            return reject();
        }
        // Pinned across the report's insert, as for edges: an eviction of fromSite then also removes it.
        final long siteHandle = pinOrInsert(sites, fromSite, 0, 0);
        try
        {
            final long handle = pinOrInsert(reported, fromSite, nextHop, chainId);
            if (handle == RecordTable.NOT_FOUND)
            {
                return false;
            }
            try
            {
                AtomicEma.overwrite(buffer, EmaRecord.emaOffset(reported, handle),
                    EmaWord.pack(sampleCount, srttNs, rttvarNs), sampleCount);
            }
            finally
            {
                reported.unpin(handle);
            }
            return true;
        }
        finally
        {
            unpinSite(siteHandle);
        }
    }

    /**
     * The site id of a peer's name, {@link SiteIds#of(CharSequence)}, named as {@link #nameSite} does, so that
     * the file, {@code rtt-stat}, the JSON export and the metrics show the name. Thread-safe, lock-free,
     * allocation-free; after the first call for a name, a hash and one lookup, nothing written.
     *
     * @param name the peer's name, normally {@code host:port}; not null or empty.
     * @return its site id.
     * @throws IllegalArgumentException when {@code name} is null or empty.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public long site(final CharSequence name)
    {
        checkOpen();
        return naming.site(name);
    }

    /**
     * Give {@code site} a name unless it has one: written once, kept when the site is evicted; a name over
     * {@link #MAX_NAME_BYTES} UTF-8 bytes or a full name table is counted in {@link #droppedNameCount()} and
     * dropped. Thread-safe: any number of namers and readers at once; a reader sees no name or the whole
     * name. Lock-free (one CAS claims the slot, a release store publishes it), allocation-free.
     *
     * @param site the site id, normally {@link SiteIds#of(CharSequence)} of {@code name}.
     * @param name its name, not null or empty.
     * @return {@code true} when the site has a name now (this one or an earlier one); {@code false} when this
     * name was dropped and counted.
     * @throws IllegalArgumentException when {@code name} is null or empty.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public boolean nameSite(final long site, final CharSequence name)
    {
        checkOpen();
        return naming.nameSite(site, name);
    }

    /**
     * Deadline budget for a send to {@code site} with no chain context: the first warm tier of site,
     * global prior, static default. Thread-safe, lock-free, allocation-free; reads one volatile word
     * per tier visited.
     *
     * @param site            the peer site.
     * @param staticDefaultNs returned when no tier is warm.
     * @return {@code srtt + K * rttvar} of the first warm tier ({@link RttTrackerConfig#budgetMultiplier K}), or
     * {@code staticDefaultNs}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long estimateBudgetNs(final long site, final long staticDefaultNs)
    {
        checkOpen();
        final long word = reader.siteWord(site);
        if (EmaWord.isWarm(word))
        {
            return EmaWord.wordBudgetNs(word, budgetMultiplier);
        }
        final long globalWord = reader.globalWord();
        return EmaWord.isWarm(globalWord) ? EmaWord.wordBudgetNs(globalWord, budgetMultiplier) : staticDefaultNs;
    }

    /**
     * {@link #estimateBudgetNs(long, long)} through a handle, skipping the site's lookup; the same result.
     * Thread-safe, lock-free, allocation-free.
     *
     * @param site            a handle from this tracker's {@link #siteHandle(long)}.
     * @param staticDefaultNs returned when no tier is warm.
     * @return as {@link #estimateBudgetNs(long, long)}.
     * @throws IllegalArgumentException when the handle is another tracker's.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public long estimateBudgetNs(final SiteHandle site, final long staticDefaultNs)
    {
        checkOpen();
        final long word = handles.siteWord(site);
        return budget(EmaWord.isWarm(word) ? word : reader.globalWord(), staticDefaultNs);
    }

    /**
     * {@link #estimateBudgetNs(long, long, int, long)} through a handle, skipping the site tier's lookup; the
     * same result. Thread-safe, lock-free, allocation-free.
     *
     * @param site            a handle from this tracker's {@link #siteHandle(long)}.
     * @param chainId         the chain.
     * @param hopIndex        the hop, 0..255.
     * @param staticDefaultNs returned when no tier is warm.
     * @return as {@link #estimateBudgetNs(long, long, int, long)}.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255 or the handle is another tracker's.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public long estimateBudgetNs(final SiteHandle site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        checkOpen();
        checkHop(hopIndex);
        long word = reader.edgeWord(handles.siteOf(site), chainId, hopIndex);
        if (!EmaWord.isWarm(word))
        {
            word = handles.siteWord(site);
            if (!EmaWord.isWarm(word))
            {
                word = reader.chainWord(chainId);
                word = EmaWord.isWarm(word) ? word : reader.globalWord();
            }
        }
        return budget(word, staticDefaultNs);
    }

    private long budget(final long word, final long staticDefaultNs)
    {
        return EmaWord.isWarm(word) ? EmaWord.wordBudgetNs(word, budgetMultiplier) : staticDefaultNs;
    }

    /**
     * Deadline budget for a send to {@code site} as hop {@code hopIndex} of chain {@code chainId}: the
     * first warm tier of edge, site, chain prior, global prior, static default. Thread-safe, lock-free,
     * allocation-free; each tier is read whole, tiers are read one after another.
     *
     * @param site            the peer site.
     * @param chainId         the chain.
     * @param hopIndex        the hop, 0..255.
     * @param staticDefaultNs returned when no tier is warm.
     * @return {@code srtt + K * rttvar} of the first warm tier ({@link RttTrackerConfig#budgetMultiplier K}), or
     * {@code staticDefaultNs}.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public long estimateBudgetNs(final long site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        checkOpen();
        checkHop(hopIndex);
        final long word = reader.firstWarmWord(site, chainId, hopIndex, null); // null: the tier is not asked
        return EmaWord.isWarm(word) ? EmaWord.wordBudgetNs(word, budgetMultiplier) : staticDefaultNs;
    }

    /**
     * Mark a request to {@code site} outstanding, for idle-aware φ ({@link RttTrackerConfig.Builder#idleAwarePhi}):
     * the site's silence is then the time its requests spent outstanding since its last answer (the rule:
     * {@link OutstandingRequests}; never more than plain φ's). End every ticket but {@link #NO_TICKET} once,
     * with {@link #requestEnded}, however the request ends; {@code InFlightTracker} and the gRPC tracer do.
     * Thread-safe (any number of threads, the count exact once they finish), allocation-free, never waits:
     * at most one atomic per send, none with plain φ. An untracked site is not marked.
     *
     * @param site  the peer site.
     * @param nowNs the send time on the tracker's clock, {@code >= 0}.
     * @return a ticket for {@link #requestEnded}, or {@link #NO_TICKET} when nothing was marked (plain φ,
     * untracked site, or a negative {@code nowNs}, counted as rejected).
     * @throws IllegalStateException after {@link #close()}.
     */
    public long requestStarted(final long site, final long nowNs)
    {
        checkOpen();
        return requests.started(site, nowNs);
    }

    /**
     * End a request marked by {@link #requestStarted}, whatever its outcome, after the response's
     * {@link #observeRoundTrip} if it was answered; the last end keeps its unanswered wait as the site's
     * silence until the next answer. Thread-safe (any thread), allocation-free, wait-free: one generation
     * check and one atomic add. A ticket of an evicted site does nothing; one naming no site record is
     * counted as rejected.
     *
     * @param ticket from {@link #requestStarted}, ended at most once.
     * @param nowNs  the end time on the tracker's clock, {@code >= 0}; a negative one is counted as rejected
     *               and the request still ends, carrying no silence.
     * @throws IllegalStateException after {@link #close()}.
     */
    public void requestEnded(final long ticket, final long nowNs)
    {
        checkOpen();
        requests.ended(ticket, nowNs);
    }

    @Override
    public double phi(final long site, final long nowNs)
    {
        checkOpen();
        if (nowNs < 0)
        {
            reject();
            return 0.0;
        }
        return detector.phi(site, nowNs);
    }

    /**
     * {@link #phi(long, long)} through a handle, skipping the site's lookup; the same result. Thread-safe,
     * lock-free, allocation-free.
     *
     * @param site  a handle from this tracker's {@link #siteHandle(long)}.
     * @param nowNs the current time on the observe clock.
     * @return as {@link #phi(long, long)}.
     * @throws IllegalArgumentException when the handle is another tracker's.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public double phi(final SiteHandle site, final long nowNs)
    {
        checkOpen();
        if (nowNs < 0)
        {
            handles.siteOf(site); // a foreign handle throws even with a rejected time
            reject();
            return 0.0;
        }
        return detector.phiAt(handles.current(site), nowNs);
    }

    /**
     * A handle for {@code site}, for the calls that take one instead of the id: they skip the site's
     * lookup. Make it once per peer (connection, channel) and keep it; see {@link SiteHandle} for what it
     * caches and how eviction is handled. It does not start tracking the site: the first observe through it
     * does, as an observe by id would. Thread-safe, lock-free; allocates the handle.
     *
     * @param site the peer site.
     * @return a new handle for {@code site}, bound to this tracker.
     * @throws IllegalStateException after {@link #close()}.
     */
    public SiteHandle siteHandle(final long site)
    {
        checkOpen();
        return handles.handle(site);
    }

    @Override
    public boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > config.suspectPhi();
    }

    @Override
    public boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > config.downPhi();
    }

    @Override
    public int scanPhi(final long nowNs, final PhiTransitionHandler handler)
    {
        checkOpen();
        if (nowNs < 0)
        {
            reject();
            return 0;
        }
        return detector.scanPhi(nowNs, handler);
    }

    @Override
    public boolean recordLocalPause(final long startNs, final long endNs)
    {
        checkOpen();
        return detector.recordLocalPause(startNs, endNs);
    }

    @Override
    public long implausibleScanCount()
    {
        checkOpen();
        return detector.implausibleScanCount();
    }

    @Override
    public long gcClockMismatchCount()
    {
        checkOpen();
        return detector.gcClockMismatchCount();
    }

    @Override
    public boolean isGcPauseFeedOpen()
    {
        checkOpen();
        return detector.isGcPauseFeedOpen();
    }

    /**
     * Stop tracking {@code site}: remove its record (EMA, φ history, last-seen, φ state), every edge
     * {@code (site, *, *)} and every report from it, and make their records reusable; chain priors and the
     * global prior keep what it taught them.
     *
     * <p>Thread-safe while other threads observe, estimate, scan and ingest; allocation-free. Evictions are
     * serialised with each other and wait for writers inside an observe or ingest of the records removed
     * (a few hundred nanoseconds, unless such a writer is descheduled); observe, estimate, φ, ingest and scan
     * never wait for an eviction. A racing thread sees the old site whole or not at all, never mixed with a
     * later occupant of its record; an observe that loses the race tracks the site afresh. Edges and reports
     * are found by a pass over the used part of their tables, about 2 ns per used record; one being created
     * by an observe that began before the eviction is removed too (the observe holds the site pinned).
     *
     * @param site the site to forget.
     * @return {@code true} when the site was tracked and this call removed it.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean evictSite(final long site)
    {
        checkOpen();
        evictionGuard.run();
        return evictor.evictSite(site);
    }

    /**
     * Evict every site last seen at least {@code idleNs} before {@code nowNs}, as {@link #evictSite(long)}
     * does, then every edge and report whose site is no longer tracked. Sites never seen (known only from
     * reports) are kept; sites restored from a file or a snapshot and not seen since count as last seen at
     * the restart, the first {@code nowNs} the tracker is given after it. A site with a request outstanding
     * ({@link #requestStarted}, idle-aware φ) is kept however long it has been silent, since it may be the
     * peer going down; once its requests ended unanswered it can be evicted with its carried silence, so
     * choose {@code idleNs} above the time φ needs to take such a peer DOWN. Same threading contract as
     * {@link #evictSite(long)}, allocation-free: one pass over the used site records, plus one lookup per used
     * edge and report record when a site was evicted; for churn, prefer it to one {@code evictSite} per site.
     *
     * @param nowNs  the current time on the observe clock, {@code >= 0}.
     * @param idleNs how long a site must have been silent, {@code >= 0}.
     * @return number of sites evicted; 0 when {@code nowNs} or {@code idleNs} is negative (counted as
     * rejected).
     * @throws IllegalStateException after {@link #close()}.
     */
    public int evictIdle(final long nowNs, final long idleNs)
    {
        checkOpen();
        if ((nowNs | idleNs) < 0)
        {
            reject();
            return 0;
        }
        evictionGuard.run();
        return evictor.evictIdle(nowNs, idleNs);
    }

    /**
     * Set a check that {@link #evictSite} and {@link #evictIdle} run before they bulk-zero records, for the
     * owner of a buffer that can lose its memory (a {@code TrackerFile} checks with one {@code fstat} that
     * its file was not truncated): an eviction then throws the guard's exception instead of touching lost
     * pages. Observe, estimate and φ never run it. Call once, before sharing the tracker.
     *
     * @param guard throws to refuse the eviction; must not be null.
     */
    public void evictionGuard(final Runnable guard)
    {
        if (guard == null)
        {
            throw new IllegalArgumentException("guard must not be null");
        }
        evictionGuard = guard;
    }

    /**
     * Rebuild state from a snapshot (one exported as JSON, for example). The tracker must be empty and
     * nothing else may use it during the call: not thread-safe. As after a restart, every site is "never
     * seen" and keeps its EMA, count and history; counters are restored.
     *
     * @param snapshot taken from a tracker whose capacities are at most this one's.
     * @throws IllegalStateException    when the tracker is not empty, or after {@link #close()}.
     * @throws IllegalArgumentException when the snapshot does not fit this tracker's capacities or holds
     *                                  a negative value.
     */
    public void importSnapshot(final RttTrackerSnapshot snapshot)
    {
        checkOpen();
        recovery.importSnapshot(snapshot);
    }

    /**
     * Thread-safe: a volatile read, so a close on any thread is seen.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Mark the tracker closed: every later call throws {@link IllegalStateException}. Idempotent and
     * thread-safe. A call already past its closed check when another thread closes completes normally
     * on memory that stays valid: owned memory is released by the garbage collector once the tracker is
     * unreachable, and a supplied buffer stays the caller's.
     */
    @Override
    public void close()
    {
        closed = true;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("RttTracker is closed");
        }
    }

    static void checkHop(final int hopIndex)
    {
        if (hopIndex < 0 || hopIndex > MAX_HOP_INDEX)
        {
            throw new IllegalArgumentException("hopIndex must be in 0..255 but was " + hopIndex);
        }
    }

    private boolean reject()
    {
        buffer.getAndAddLong(REJECTED_COUNTER_OFFSET, 1); // atomic: rejections race on any thread
        return false;
    }
}
