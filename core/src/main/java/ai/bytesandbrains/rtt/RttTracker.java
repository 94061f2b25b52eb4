package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.pause.LocalPauseSink;
import ai.bytesandbrains.rtt.pause.NanoTimeGate;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerReader;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.table.RecordTable;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static ai.bytesandbrains.rtt.TrackerLayout.*;

/**
 * Per-site round-trip-time tracker: Jacobson/Karels EMAs per site, per edge, per chain and globally;
 * a five-tier deadline budget (edge, site, chain, global, static); and a φ-accrual failure detector per
 * site. A port of the Rust crate bb-runtime's {@code rtt_tracker} module; docs/semantics.md states what it computes.
 *
 * <h2>Threading contract</h2>
 * Every method but {@link #importSnapshot} may be called by any number of threads at once. Observe,
 * estimate, φ, ingest and scan
 * take no lock and allocate nothing: every EMA is one 64-bit word updated by a CAS loop, tables are
 * lock-free hash tables whose records carry a generation, and histories keep an exact running sum.
 * Writers pin the site, edge or report record they write (two atomic adds) so that an eviction never
 * resets a record under them; readers check the record's generation after reading. What a concurrent
 * reader can see:
 * <ul>
 *   <li>an EMA as of some sequence of whole observes: never srtt of one state and rttvar of another;</li>
 *   <li>the tiers of one observe (site, edge, chain, global) updated one after another, not as one
 *   transaction: an estimate racing an observe may see the site tier updated and the chain tier not
 *   yet;</li>
 *   <li>a sample count that lags its EMA word by the observes in flight, and never loses one;</li>
 *   <li>a new site, edge, chain or report either absent (the estimate falls to the next tier) or
 *   complete; two threads inserting one key end with one record;</li>
 *   <li>a site racing {@link #evictSite eviction} either whole as it was or absent, never mixed with
 *   a later occupant of its record.</li>
 * </ul>
 *
 * <h2>Bad input (D1, D4, D7)</h2>
 * Negative {@code elapsedNs}, {@code nowNs} or reported values are dropped and counted in
 * {@link #rejectedSampleCount()}; stored state is untouched and nothing is thrown. A {@code hopIndex}
 * outside 0..255 is a programming error and throws {@link IllegalArgumentException}. When a table is
 * full, a new key is not tracked, the other tiers are still updated, the overflow is counted and
 * estimates fall through. Every call after {@link #close()} throws {@link IllegalStateException}.
 *
 * <h2>Deliberate differences from the reference</h2>
 * Times are {@code long} nanoseconds in {@code 0..2^63-1} (D1). "Never seen" is an explicit state, so
 * {@code nowNs = 0} is a valid timestamp (D2). A {@code nowNs} older than the site's last-seen time
 * still feeds every EMA but records no inter-arrival time and does not move last-seen backwards (D3).
 * EMA values are exact below 2^27 ns and within 2^-27 relative above, saturating at
 * {@link EmaWord#MAX_VALUE_NS} (D5). The φ mean comes from an exact running sum, O(1) (D6); an
 * inter-arrival time above {@link HeartbeatHistory#maxValueNs(int)} is clamped to it so the sum fits.
 * Tables have fixed capacities (D7).
 *
 * <h2>Beyond the reference</h2>
 * Sites can be {@link #evictSite evicted}, alone or {@link #evictIdle when idle}, and their records reused
 * while other threads work. φ discounts silence explained by a local pause of this process (a gap in the
 * scan schedule, a stop-the-world GC pause, or {@link #recordLocalPause}); turn it off with
 * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)} for the reference's plain φ. A bad clock
 * read cannot make it blind: implausible scan times are counted and ignored, and no pause reaches past a
 * time a later call observed (see {@link #scanPhi} and {@link #phi}). GC pauses follow the clock rule of
 * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)}: they reach a tracker only while its scans
 * run on {@link System#nanoTime()}'s clock.
 *
 * <h2>Where the rest lives</h2>
 * This class holds the hot writes (observe, ingest, estimate) and the lifecycle. Every reading goes
 * through {@link #reader()}, the same {@link TrackerReader} a file's reader uses; φ and scans are a
 * package-private detector's; restart repair and import are a package-private recovery's.
 */
public final class RttTracker implements AutoCloseable, LocalPauseSink
{
    /** Local pauses remembered for φ: a few minutes of GC pauses and scan gaps. */
    public static final int LOCAL_PAUSE_LOG_CAPACITY = TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;

    /** Largest hop index. */
    public static final int MAX_HOP_INDEX = TrackerLayout.MAX_HOP_INDEX;

    private final RttTrackerConfig config;
    private final TrackerTables tables;
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final int historyCapacity;
    private final long historyMaxValueNs;
    private final int alphaShift;
    private final int betaShift;
    private final int globalAlphaShift;
    private final int globalBetaShift;
    private final TrackerReader reader;
    private final PhiDetector detector;
    private final SiteEvictor evictor;
    private final RestartClock restartClock = new RestartClock();
    private final TrackerRecovery recovery;
    private volatile boolean closed; // volatile: close() on one thread is seen by calls on any other
    // Volatile: set once by the buffer's owner, read only by evictions (cold), so any evicting thread sees it.
    private volatile Runnable evictionGuard = () -> {};

    private RttTracker(final RttTrackerConfig config, final TrackerLayout layout, final AtomicBuffer buffer)
    {
        this.config = config;
        this.buffer = buffer;
        tables = new TrackerTables(layout, buffer);
        sites = tables.sites();
        edges = tables.edges();
        chains = tables.chains();
        reported = tables.reported();
        historyCapacity = config.historyCapacity();
        historyMaxValueNs = HeartbeatHistory.maxValueNs(historyCapacity);
        alphaShift = config.emaShifts().alphaShift();
        betaShift = config.emaShifts().betaShift();
        globalAlphaShift = config.globalPriorShifts().alphaShift();
        globalBetaShift = config.globalPriorShifts().betaShift();
        reader = new TrackerReader(tables, detail -> new IllegalStateException("tracker state is corrupt: " + detail));
        detector = new PhiDetector(config, tables, reader, restartClock);
        evictor = new SiteEvictor(buffer, layout, sites, edges, reported, restartClock);
        recovery = new TrackerRecovery(tables, restartClock, evictor);
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

    static RttTracker allocate(final RttTrackerConfig config)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        final int length = TrackerRecovery.checkedLength(layout);
        // Owned memory is released by the garbage collector once the tracker is unreachable, never by
        // close(): a thread racing close() must not touch freed memory.
        final AtomicBuffer buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(length, ISOLATED_RECORD_LENGTH));
        return new RttTracker(config, layout, buffer);
    }

    static RttTracker over(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        buffer.setMemory(0, TrackerRecovery.checkedBuffer(layout, buffer), (byte)0);
        return new RttTracker(config, layout, buffer);
    }

    static RttTracker restore(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        TrackerRecovery.checkedBuffer(layout, buffer);
        final RttTracker tracker = new RttTracker(config, layout, buffer);
        tracker.recovery.repairAfterRestart();
        return tracker;
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
        return tables.layout();
    }


    /**
     * The read path, shared with {@code TrackerFileReader}: every reading, φ without counting, the
     * counters and the snapshot. Any thread, also after {@link #close()} (the memory stays valid).
     *
     * @return the reader, which never writes.
     */
    public TrackerReader reader()
    {
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

    // ----------------------------------------------------------------------------------------------
    // Observe and ingest
    // ----------------------------------------------------------------------------------------------

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
        unpinSite(observeSite(site, elapsedNs, nowNs));
        AtomicEma.observe(buffer, GLOBAL_PRIOR_OFFSET, elapsedNs, globalAlphaShift, globalBetaShift);
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
        // The site stays pinned until its edge is written, so that an eviction of the site, which waits
        // for its pins before sweeping edges, also removes an edge this observe creates.
        final long siteHandle = observeSite(site, elapsedNs, nowNs);
        try
        {
            final long edge = edges.pinOrInsert(site, chainId, hopIndex);
            if (edge != RecordTable.NOT_FOUND)
            {
                try
                {
                    AtomicEma.observe(
                        buffer, edges.recordOffset(RecordTable.record(edge)) + EMA_OFFSET, elapsedNs, alphaShift, betaShift);
                }
                finally
                {
                    edges.unpin(edge);
                }
            }
        }
        finally
        {
            unpinSite(siteHandle);
        }
        // Chain priors are never evicted, so their records need no pin.
        final long chain = chains.findOrInsert(chainId, 0, 0);
        if (chain != RecordTable.NOT_FOUND)
        {
            AtomicEma.observe(
                buffer, chains.recordOffset(RecordTable.record(chain)) + EMA_OFFSET, elapsedNs, alphaShift, betaShift);
        }
        AtomicEma.observe(buffer, GLOBAL_PRIOR_OFFSET, elapsedNs, globalAlphaShift, globalBetaShift);
        return true;
    }

    /**
     * Feed the site tier and heartbeat; returns the site's handle still pinned (or NOT_FOUND when the
     * table is full), for the caller to unpin once it has written the site's edge too.
     */
    private long observeSite(final long site, final long elapsedNs, final long nowNs)
    {
        final long handle = sites.pinOrInsert(site, 0, 0);
        if (handle == RecordTable.NOT_FOUND)
        {
            restartClock.note(nowNs); // a full table: the case a restart clock is for, and off the steady path
        }
        else
        {
            final int record = RecordTable.record(handle);
            final int recordOffset = sites.recordOffset(record);
            try
            {
                AtomicEma.observe(buffer, recordOffset + SITE_EMA_OFFSET, elapsedNs, alphaShift, betaShift);
                heartbeat(record, recordOffset, nowNs);
            }
            catch (final RuntimeException | Error ex)
            {
                sites.unpin(handle);
                throw ex;
            }
        }
        return handle;
    }

    private void unpinSite(final long handle)
    {
        if (handle != RecordTable.NOT_FOUND)
        {
            sites.unpin(handle);
        }
    }

    /**
     * Advance last-seen to {@code nowNs} with a CAS, then record the gap it closed. The CAS orders
     * heartbeats: each recorded gap is the distance from the value it replaced, so the gaps of racing
     * heartbeats add up to the span they cover. A late {@code nowNs} changes nothing (D3). Racing
     * heartbeats claim ring positions after their CAS, so the ring may hold their gaps in the other
     * order; that changes only which is evicted first, never the sum, length or mean.
     */
    private void heartbeat(final int record, final int recordOffset, final long nowNs)
    {
        final long encodedNow = SiteRecord.encodeLastSeen(nowNs);
        long lastSeen = SiteRecord.lastSeenVolatile(buffer, recordOffset); // expected by the CAS, which re-checks it
        while (!SiteRecord.isSeen(lastSeen) || encodedNow >= lastSeen)
        {
            // CAS: racing heartbeats each own the gap from the value they replaced; full fence before the record
            final long witness = SiteRecord.compareAndExchangeLastSeen(buffer, recordOffset, lastSeen, encodedNow);
            if (witness == lastSeen)
            {
                if (!SiteRecord.isSeen(lastSeen))
                {
                    restartClock.note(nowNs); // a site's first heartbeat since the restart: off the steady path
                }
                else
                {
                    HeartbeatHistory.record(
                        buffer,
                        SiteRecord.historyOffset(recordOffset),
                        tables.ringOffset(record),
                        historyCapacity,
                        historyMaxValueNs,
                        encodedNow - lastSeen);
                }
                return;
            }
            lastSeen = witness;
        }
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
        final long fromSite,
        final long nextHop,
        final long chainId,
        final long srttNs,
        final long rttvarNs,
        final long sampleCount)
    {
        checkOpen();
        if ((srttNs | rttvarNs | sampleCount) < 0)
        {
            return reject();
        }
        // Pinned across the report's insert, as for edges: an eviction of fromSite then also removes it.
        final long siteHandle = sites.pinOrInsert(fromSite, 0, 0);
        try
        {
            final long handle = reported.pinOrInsert(fromSite, nextHop, chainId);
            if (handle == RecordTable.NOT_FOUND)
            {
                return false;
            }
            try
            {
                AtomicEma.overwrite(
                    buffer,
                    reported.recordOffset(RecordTable.record(handle)) + EMA_OFFSET,
                    EmaWord.pack(sampleCount, srttNs, rttvarNs),
                    sampleCount);
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

    // ----------------------------------------------------------------------------------------------
    // Estimate
    // ----------------------------------------------------------------------------------------------

    /**
     * Deadline budget for a send to {@code site} with no chain context: the first warm tier of site,
     * global prior, static default. Thread-safe, lock-free, allocation-free; reads one volatile word
     * per tier visited.
     *
     * @param site            the peer site.
     * @param staticDefaultNs returned when no tier is warm.
     * @return {@code srtt + 4 * rttvar} of the first warm tier, or {@code staticDefaultNs}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long estimateBudgetNs(final long site, final long staticDefaultNs)
    {
        checkOpen();
        final long word = siteWord(site);
        return EmaWord.isWarm(word) ? EmaWord.budgetNs(word) : globalOrDefault(staticDefaultNs);
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
     * @return {@code srtt + 4 * rttvar} of the first warm tier, or {@code staticDefaultNs}.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public long estimateBudgetNs(final long site, final long chainId, final int hopIndex, final long staticDefaultNs)
    {
        checkOpen();
        checkHop(hopIndex);
        final long edgeWord = emaWord(edges, edges.find(site, chainId, hopIndex), EMA_OFFSET);
        if (EmaWord.isWarm(edgeWord))
        {
            return EmaWord.budgetNs(edgeWord);
        }
        final long siteWord = siteWord(site);
        if (EmaWord.isWarm(siteWord))
        {
            return EmaWord.budgetNs(siteWord);
        }
        final long chainWord = emaWord(chains, chains.find(chainId, 0, 0), EMA_OFFSET);
        if (EmaWord.isWarm(chainWord))
        {
            return EmaWord.budgetNs(chainWord);
        }
        return globalOrDefault(staticDefaultNs);
    }

    private long siteWord(final long site)
    {
        return emaWord(sites, sites.find(site, 0, 0), SITE_EMA_OFFSET);
    }

    /**
     * The EMA word of the occupant a lookup found, or 0 (an empty, cold word) when there is none or it
     * was evicted while the word was read: the estimate then falls through as if it had never existed.
     */
    private long emaWord(final RecordTable table, final long handle, final int emaOffset)
    {
        if (handle == RecordTable.NOT_FOUND)
        {
            return 0;
        }
        final long word = AtomicEma.word(buffer, table.recordOffset(RecordTable.record(handle)) + emaOffset);
        return table.isCurrent(handle) ? word : 0;
    }

    private long globalOrDefault(final long staticDefaultNs)
    {
        final long word = AtomicEma.word(buffer, GLOBAL_PRIOR_OFFSET);
        return EmaWord.isWarm(word) ? EmaWord.budgetNs(word) : staticDefaultNs;
    }

    // ----------------------------------------------------------------------------------------------
    // φ-accrual
    // ----------------------------------------------------------------------------------------------

    /**
     * φ of {@code site} at {@code nowNs}: {@code (now - lastSeen - paused) / (mean * ln 10)}, where
     * {@code paused} is how much of the silence {@code [lastSeen, now)} this process is known to have been
     * paused (local-pause awareness, on by default; 0 when off or when no pause ended after last-seen).
     * Thread-safe, lock-free, allocation-free; O(1) unless a pause overlaps the silence, then
     * O(pause log capacity²). Racing heartbeats never make it NaN, infinite or negative.
     *
     * <p><b>Times from outside.</b> φ is always finite and {@code >= 0}, whatever {@code nowNs} is. A
     * negative {@code nowNs} is rejected and counted. A {@code nowNs} before the site's last-seen time (a
     * stale or backwards clock read) is a silence of 0: φ 0. Only pauses that ended at or before
     * {@code nowNs} are discounted: a pause reaching past the caller's own time, such as one recorded from
     * a bad future clock read, explains none of that caller's silence. Apart from counting a rejected
     * {@code nowNs}, this call changes no state.
     *
     * @param site  the site.
     * @param nowNs the current time on the observe clock, {@code >= 0}.
     * @return φ {@code >= 0}; 0 for an unknown or never-seen site, an empty history, or a rejected
     * (negative, counted) {@code nowNs}.
     * @throws IllegalStateException after {@link #close()}.
     */
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

    public boolean isSuspect(final long site, final long nowNs)
    {
        return phi(site, nowNs) > config.suspectPhi();
    }

    /**
     * Thread-safe, lock-free, allocation-free.
     *
     * @param site  the site.
     * @param nowNs the current time, {@code >= 0}.
     * @return {@code true} when {@code phi(site, nowNs) > downPhi}; same contract as {@link #phi}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean isDown(final long site, final long nowNs)
    {
        return phi(site, nowNs) > config.downPhi();
    }

    /**
     * Classify every tracked site at {@code nowNs} and report each site whose state differs from the
     * one last reported for it (all start {@link PhiState#LIVE}). With local-pause awareness on, a scan
     * first compares its time with the previous scan's: a gap longer than both
     * {@link RttTrackerConfig#localPauseMinNs()} and twice the usual interval between scans is taken for a
     * stall of this process, and the silence it explains is discounted from φ (see {@link #phi}). Call
     * it on a regular schedule for that to work. Thread-safe, lock-free,
     * allocation-free: the remembered state is changed by a CAS and only the thread whose CAS succeeds
     * reports, so concurrent scans report each change exactly once. The handler runs on this thread;
     * if it throws, the exception propagates, that transition counts as reported and the remaining
     * sites wait for the next scan. Concurrent scans report each change once, but their handler calls
     * are not ordered with each other: a consumer that needs the current state reads
     * {@link SiteView#lastPhiState()}. A verdict computed before a heartbeat of the same site landed is
     * dropped, not reported; one computed just before a heartbeat that lands after the CAS is reported
     * and corrected by the next scan.
     *
     * <h4>Times from outside</h4>
     * One bad clock read (a bug, a test, a switch of clock) must neither switch failure detection off nor
     * report every peer down. With local-pause awareness on (the default), with {@code min} =
     * {@link RttTrackerConfig#localPauseMinNs()} and {@code max} = {@link RttTrackerConfig#maxLocalPauseNs()}:
     * <ul>
     *   <li>a gap since the previous scan longer than {@code max} (an hour ahead, {@link Long#MAX_VALUE})
     *   is not a pause: the scan is counted in {@link #implausibleScanCount()}, reports nothing, and
     *   becomes the new baseline;</li>
     *   <li>a {@code nowNs} at most {@code min} before the latest scan's (a concurrent scanner got there
     *   first) is a late scan: it is classified normally, with no gap judged;</li>
     *   <li>a {@code nowNs} more than {@code min} before the latest scan's (a backwards clock, or the
     *   first good read after a bad future one) is counted and reports nothing, until a scan at least
     *   {@code min} after the first such read, still far behind the latest, confirms that the clock runs
     *   there: the latest scan was the bad read, the baseline moves back, any pause recorded from it is cut
     *   at the first good read, and scans report again. A bad future read thus mutes reports for about
     *   {@code min} plus one scan interval;</li>
     *   <li>a pause never reaches past a time a later scan observed: every scan not counted as implausible
     *   cuts each pause (scan gap, GC, or {@link #recordLocalPause}) that ends after its {@code nowNs} at
     *   {@code nowNs};
     *   and a pause discounts silence only once {@code nowNs} has reached its end (see {@link #phi}), so
     *   a pause recorded from a future read never hides a peer that dies meanwhile.</li>
     * </ul>
     * A negative {@code nowNs} is rejected and counted whether awareness is on or off; with awareness off
     * the scan classifies at whatever {@code nowNs} it is given, as the reference does. The GC pause feed
     * needs {@code nowNs} on {@link System#nanoTime()}'s clock; each plausible scan checks this (see
     * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)} for the clock rule and
     * {@link #gcClockMismatchCount()}).
     *
     * @param nowNs   the current time, {@code >= 0}.
     * @param handler receives the transitions.
     * @return number of transitions reported; 0 for a rejected (negative, counted) or implausible
     * (counted) {@code nowNs}.
     * @throws IllegalStateException after {@link #close()}.
     */
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

    /**
     * Tell the tracker that this process was paused over {@code [startNs, endNs)} on the observe clock,
     * for a cause it cannot see itself (a VM migration, a debugger, a scheduler's own stall detector).
     * φ no longer counts that interval as silence of any site, from the time {@code endNs} is reached
     * (see {@link #phi}). Pauses reported twice, or also seen as a GC pause or a scan gap, count once.
     * A pause that ends after a present confirmed by later scans is cut (see {@link #scanPhi}).
     * Thread-safe, lock-free, allocation-free.
     *
     * @param startNs start of the pause.
     * @param endNs   end of the pause, after {@code startNs}, at most
     *                {@link RttTrackerConfig#maxLocalPauseNs()} after it.
     * @return {@code false} when local-pause awareness is off, or the interval is empty, inverted or longer
     * than {@code maxLocalPauseNs} (counted in {@link #rejectedLocalPauseCount()}, never thrown).
     * @throws IllegalStateException after {@link #close()}.
     */
    @Override
    public boolean recordLocalPause(final long startNs, final long endNs)
    {
        checkOpen();
        return detector.recordLocalPause(startNs, endNs);
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return local pauses recorded (scan gaps, GC pauses, {@link #recordLocalPause} calls) since creation;
     * 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long localPauseCount()
    {
        checkOpen();
        return detector.localPauseCount();
    }

    /**
     * Thread-safe, lock-free, allocation-free.
     *
     * @param fromNs start of a window on the observe clock.
     * @param toNs   end of the window.
     * @return how much of the window this process is known to have been paused, counting only pauses that
     * ended by {@code toNs}, as φ does; 0 when awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long locallyPausedNsWithin(final long fromNs, final long toNs)
    {
        checkOpen();
        return detector.locallyPausedNsWithin(fromNs, toNs);
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return scans whose {@code nowNs} was implausible and that reported nothing (see {@link #scanPhi});
     * 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long implausibleScanCount()
    {
        checkOpen();
        return detector.implausibleScanCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return local pauses refused as empty, inverted or longer than
     * {@link RttTrackerConfig#maxLocalPauseNs()}, from any source; 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long rejectedLocalPauseCount()
    {
        checkOpen();
        return detector.rejectedLocalPauseCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return local pauses cut short because they ended after a present confirmed by later scans (see
     * {@link #scanPhi}); 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long cutLocalPauseCount()
    {
        checkOpen();
        return detector.cutLocalPauseCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return scans whose {@code nowNs} was more than {@link NanoTimeGate#DEFAULT_TOLERANCE_NS} away from
     * {@link System#nanoTime()}: each stops the GC pause feed until a scan agrees again (the clock rule of
     * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)}); 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long gcClockMismatchCount()
    {
        checkOpen();
        return detector.gcClockMismatchCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return whether GC pauses are fed to this tracker now: awareness on, and no scan yet or the latest
     * plausible scan on {@link System#nanoTime()}'s clock.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean isGcPauseFeedOpen()
    {
        checkOpen();
        return detector.isGcPauseFeedOpen();
    }

    // ----------------------------------------------------------------------------------------------
    // Eviction
    // ----------------------------------------------------------------------------------------------

    /**
     * Stop tracking {@code site}: remove its record (EMA, φ history, last-seen, φ state), every edge
     * {@code (site, *, *)} and every report from it, and make their records reusable. Chain priors and
     * the global prior keep what the site taught them.
     *
     * <p>Thread-safe while other threads observe, estimate, scan and ingest; allocation-free. Evictions
     * are serialised with each other, and an eviction waits for the writers that are inside an observe
     * or ingest of the records it removes (a few hundred nanoseconds, unless such a thread is
     * descheduled); observe, estimate, φ, ingest and scan never wait for an eviction. A thread racing the
     * eviction sees the old site whole or no site at all, never a mix with a later occupant of its
     * record: estimates fall through to the next tier, φ is 0, scans skip it, and an observe that loses
     * the race tracks the site afresh (its sample starts a new record). Edges and reports are found by a
     * pass over the used part of their tables (records are fixed-size and off-heap, with no per-site
     * list): about 2 ns per used record. An observe or ingest of the site that began before the eviction
     * holds the site pinned until its edge or report is written, so the eviction waits for it and
     * removes that edge or report too; one that begins during the pass tracks the site afresh, and the
     * edge or report it creates may be removed with the old ones.
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
     * Evict every site last seen at least {@code idleNs} before {@code nowNs}, as
     * {@link #evictSite(long)} does, then every edge and report whose site is no longer tracked (also
     * those of sites a full site table refused). Sites never seen (known only from reports) have no time
     * to judge and are kept, except sites restored from a file or imported from a snapshot and not seen
     * since: they count as last seen at the restart, which is the first {@code nowNs} given to the
     * tracker after it by {@code evictIdle}, {@link #scanPhi}, the first round trip of a site, or a round
     * trip of a site a full table refused (a restart time read from the buffer would be on another
     * process's clock). The steady path of an observe does not look at that clock. Same threading contract as {@link #evictSite(long)}; allocation-free; one
     * pass over the used site records, plus one lookup per used edge and report record when a site was
     * evicted or the site table ever overflowed. For churn, prefer this batch to one
     * {@link #evictSite(long)} per site: the edge and report passes are shared by every site it evicts.
     * A site whose heartbeat lands between the idleness check and its removal is evicted all the same;
     * its next observe tracks it afresh.
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
     * Thread-safe, lock-free; a moment's value.
     *
     * @return sites removed by {@link #evictSite} and {@link #evictIdle} since creation.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long evictedSiteCount()
    {
        checkOpen();
        return sites.removedCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return edges removed with their sites since creation.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long evictedEdgeCount()
    {
        checkOpen();
        return edges.removedCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return reports removed with their sites since creation.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long evictedReportCount()
    {
        checkOpen();
        return reported.removedCount();
    }

    // ----------------------------------------------------------------------------------------------
    // Reading for monitoring, allocation-free
    // ----------------------------------------------------------------------------------------------

    /**

    // ----------------------------------------------------------------------------------------------
    // Reading for monitoring: each delegates to reader() after the closed check
    // ----------------------------------------------------------------------------------------------

    /**
     * Fill {@code view} with the state of {@code site}; see {@link TrackerReader#readSite}. Thread-safe,
     * allocation-free.
     *
     * @param site the site.
     * @param view filled when the site is tracked.
     * @return {@code true} when the site is tracked.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean readSite(final long site, final SiteView view)
    {
        checkOpen();
        return reader.readSite(site, view);
    }

    /**
     * Visit every tracked site; see {@link TrackerReader#forEachSite}. Thread-safe, allocation-free.
     *
     * @param view   reused for every site.
     * @param action called with {@code view} per site.
     * @return number of sites visited.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int forEachSite(final SiteView view, final Consumer<SiteView> action)
    {
        checkOpen();
        return reader.forEachSite(view, action);
    }

    /**
     * Visit the id of every tracked site. Thread-safe, allocation-free.
     *
     * @param action called per site id.
     * @return number of sites visited.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int forEachTrackedSite(final LongConsumer action)
    {
        checkOpen();
        return reader.forEachTrackedSite(action);
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return number of tracked sites.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long trackedSiteCount()
    {
        checkOpen();
        return reader.trackedSiteCount();
    }

    /**
     * Fill {@code view} with the per-edge EMA of {@code (site, chainId, hopIndex)}. Thread-safe.
     *
     * @param site     the site.
     * @param chainId  the chain.
     * @param hopIndex the hop, 0..255.
     * @param view     filled when the edge is tracked.
     * @return {@code true} when the edge is tracked.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public boolean readEdge(final long site, final long chainId, final int hopIndex, final EmaView view)
    {
        checkOpen();
        checkHop(hopIndex);
        return reader.readEdge(site, chainId, hopIndex, view);
    }

    /**
     * Fill {@code view} with the prior of {@code chainId}. Thread-safe, allocation-free.
     *
     * @param chainId the chain.
     * @param view    filled when the chain is tracked.
     * @return {@code true} when the chain is tracked.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean readChainPrior(final long chainId, final EmaView view)
    {
        checkOpen();
        return reader.readChainPrior(chainId, view);
    }

    /**
     * Fill {@code view} with the report of {@code fromSite} about its edge to {@code nextHop}. Thread-safe,
     * allocation-free.
     *
     * @param fromSite the reporting site.
     * @param nextHop  its next hop.
     * @param chainId  the chain.
     * @param view     filled when such a report is stored.
     * @return {@code true} when such a report is stored.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean readReported(final long fromSite, final long nextHop, final long chainId, final EmaView view)
    {
        checkOpen();
        return reader.readReported(fromSite, nextHop, chainId, view);
    }

    /**
     * Fill {@code view} with the global prior. Thread-safe, allocation-free.
     *
     * @param view filled.
     * @return {@code view}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public EmaView readGlobalPrior(final EmaView view)
    {
        checkOpen();
        return reader.readGlobalPrior(view);
    }

    /**
     * Visit every per-edge EMA. Thread-safe, allocation-free.
     *
     * @param view   reused for every edge.
     * @param action called per edge.
     * @return number visited.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int forEachEdge(final EmaView view, final Consumer<EmaView> action)
    {
        checkOpen();
        return reader.forEachEdge(view, action);
    }

    /**
     * Visit every chain prior. Thread-safe, allocation-free.
     *
     * @param view   reused for every chain.
     * @param action called per chain.
     * @return number visited.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int forEachChainPrior(final EmaView view, final Consumer<EmaView> action)
    {
        checkOpen();
        return reader.forEachChainPrior(view, action);
    }

    /**
     * Visit every reverse-path report. Thread-safe, allocation-free.
     *
     * @param view   reused for every report.
     * @param action called per report.
     * @return number visited.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int forEachReported(final EmaView view, final Consumer<EmaView> action)
    {
        checkOpen();
        return reader.forEachReported(view, action);
    }


    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return calls refused for a negative time or value since creation.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long rejectedSampleCount()
    {
        checkOpen();
        return reader.rejectedSampleCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return new sites not tracked because the site table was full.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long siteOverflowCount()
    {
        checkOpen();
        return sites.overflowCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return new edges not tracked because the edge table was full.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long edgeOverflowCount()
    {
        checkOpen();
        return edges.overflowCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return new chains not tracked because the chain table was full.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long chainOverflowCount()
    {
        checkOpen();
        return chains.overflowCount();
    }

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return new reports not stored because the reported table was full.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long reportedOverflowCount()
    {
        checkOpen();
        return reported.overflowCount();
    }

    /**
     * φ reads that found heartbeats of the same site in flight on each of
     * {@link HeartbeatHistory#MAX_READ_ATTEMPTS} attempts and so used a mean that may be off by those
     * heartbeats. Thread-safe, lock-free; a moment's value.
     *
     * @return the count.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long nonQuiescentPhiReadCount()
    {
        checkOpen();
        return reader.nonQuiescentPhiReadCount();
    }

    // ----------------------------------------------------------------------------------------------
    // Snapshot and lifecycle
    // ----------------------------------------------------------------------------------------------

    /**
     * An immutable copy of the whole state, for diagnostics and tests; allocates. Thread-safe. Taken
     * while other threads observe, each EMA is whole (one word) and its count lags it by at most the
     * observes in flight; different entries are read at different instants.
     *
     * @return the snapshot.
     * @throws IllegalStateException after {@link #close()}.
     */
    public RttTrackerSnapshot snapshot()
    {
        checkOpen();
        return reader.snapshot();
    }

    /**
     * Rebuild state from a snapshot, for example one exported as JSON for a bug report. The tracker must
     * be empty, and nothing else may use it during the call: not thread-safe. Timestamps are not imported: as after a
     * restart, every site is "never seen" and keeps its EMA, count and history, and {@link #evictIdle}
     * judges it silent from the first time the tracker is given after the import. EMA values are stored as
     * {@link EmaWord} represents them; counters are restored.
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

    // ----------------------------------------------------------------------------------------------

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
