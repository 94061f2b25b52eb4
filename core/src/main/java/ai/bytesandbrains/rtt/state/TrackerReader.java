package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.LocalPauseLog;
import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import ai.bytesandbrains.rtt.view.ViewKey;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.EMA_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_PRIOR_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.MAX_HOP_INDEX;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.NON_QUIESCENT_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_EMA_OFFSET;

/**
 * The read path of a tracker's state, the one copy shared by the live tracker ({@code tracker.reader()})
 * and by {@code TrackerFileReader} over a read-only mapping of another process's file: as Agrona's
 * {@code CountersReader} is to {@code CountersManager}. It never writes, so it may run over memory that
 * cannot be written, and its φ is the writer's φ for the same {@code nowNs}: same last-seen and mean
 * reads, same local pause discount (the pause log lives in the buffer).
 *
 * <h2>Reading a record</h2>
 * Records are found by lookup or enumeration ({@link RecordTable#liveHandle}); every word is read, then
 * the record's generation ({@link RecordTable#isCurrent}) confirms they were all one occupant's, and only
 * then is each value range-checked. A record evicted or reused while read is skipped (or reads as
 * absent), never reported as a fault. A value out of range is one no writer stores: the reading throws
 * the exception the {@link Faults} given at construction makes, naming the table, record and field.
 * EMA cells are read count first, then word (see {@link AtomicEma}).
 *
 * <p>Thread-safe: any number of threads may read at once, concurrently with writers; each method's
 * views and actions are the caller's. Allocation-free except {@link #readCounters()}, {@link #siteName(long)}
 * and {@link #snapshot()}.
 */
public final class TrackerReader implements TrackerReadings
{
    /** Makes the exception a reading throws for a value no writer stores. */
    @FunctionalInterface
    public interface Faults
    {
        /**
         * Any thread.
         *
         * @param detail names the table, record and field, and the value.
         * @return the exception to throw.
         */
        RuntimeException corrupt(String detail);
    }

    /** {@link #firstWarmWord} answered from the edge {@code (site, chainId, hopIndex)}. */
    public static final int EDGE_TIER = 0;
    /** {@link #firstWarmWord} answered from the site's aggregate EMA. */
    public static final int SITE_TIER = 1;
    /** {@link #firstWarmWord} answered from the chain prior. */
    public static final int CHAIN_TIER = 2;
    /** {@link #firstWarmWord} answered from the global prior. */
    public static final int GLOBAL_TIER = 3;

    private static final ViewKey VIEW_KEY = ViewKey.issue();

    private final TrackerTables tables;
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final LocalPauseLog pauseLog;
    private final NameTable names;
    private final int historyCapacity;
    private final long maxHistoryValueNs;
    private final Faults faults;
    private final int budgetMultiplier;
    private final boolean idleAwarePhi;
    private final long acceptablePauseNs;

    /**
     * A reader over {@code tables}; writes nothing. Any thread.
     *
     * @param tables the state.
     * @param faults makes the exception for a corrupt value.
     */
    public TrackerReader(final TrackerTables tables, final Faults faults)
    {
        this.tables = tables;
        this.buffer = tables.buffer();
        this.sites = tables.sites();
        this.edges = tables.edges();
        this.chains = tables.chains();
        this.reported = tables.reported();
        this.pauseLog = tables.pauseLog();
        this.names = tables.names();
        this.historyCapacity = tables.historyCapacity();
        this.maxHistoryValueNs = HeartbeatHistory.maxValueNs(historyCapacity);
        this.faults = faults;
        final ai.bytesandbrains.rtt.RttTrackerConfig config = tables.layout().config();
        this.budgetMultiplier = config.budgetMultiplier();
        this.idleAwarePhi = config.idleAwarePhi();
        this.acceptablePauseNs = config.acceptablePauseNs();
    }

    /**
     * Immutable; any thread.
     *
     * @return the state read.
     */
    public TrackerTables tables()
    {
        return tables;
    }

    // ----------------------------------------------------------------------------------------------
    // φ
    // ----------------------------------------------------------------------------------------------

    /**
     * φ of {@code site} at {@code nowNs}, read without writing: what the writer's φ returns for the same
     * {@code nowNs}, local pauses included. Lock-free, allocation-free.
     *
     * @param site  the site.
     * @param nowNs the current time on the writer's clock.
     * @return φ {@code >= 0}; 0 for an unknown or never-seen site, or a negative {@code nowNs}.
     */
    public double phi(final long site, final long nowNs)
    {
        return Math.abs(phiView(site, nowNs));
    }

    /**
     * φ of {@code site} at {@code nowNs} as one view, saying whether it was quiescent, so that a writer can
     * count a non-quiescent read once. Lock-free, allocation-free.
     *
     * @param site  the site.
     * @param nowNs the current time, {@code >= 0}.
     * @return φ, with its sign bit set when the history's view was not quiescent (see
     * {@link HeartbeatHistory#isQuiescent(double)}); 0 for an unknown or never-seen site.
     */
    public double phiView(final long site, final long nowNs)
    {
        return nowNs < 0 ? 0.0 : phiViewAt(sites.find(site, 0, 0), nowNs);
    }

    /**
     * {@link #phiView(long, long)} for a caller that resolved the site's record itself. Lock-free,
     * allocation-free.
     *
     * @param handle a handle of the site table, or {@link RecordTable#NOT_FOUND}.
     * @param nowNs  the current time, {@code >= 0}.
     * @return as {@link #phiView(long, long)}; 0 when {@code handle} names no occupant or one evicted while read.
     */
    public double phiViewAt(final long handle, final long nowNs)
    {
        if (handle == RecordTable.NOT_FOUND)
        {
            return 0.0;
        }
        final int record = RecordTable.record(handle);
        // One range check for the record: its words are then addressed directly.
        final Object base = sites.base();
        final long recordAddress = sites.recordAddress(record);
        final double phi = phiViewAt(
            base, recordAddress, sites.recordOffset(record), SiteRecord.lastSeenVolatile(base, recordAddress), nowNs);
        // evicted while read: an unknown site's φ
        return RecordTable.isCurrent(base, recordAddress, handle) ? phi : 0.0;
    }

    /**
     * φ of the site record at {@code recordOffset} from one view of last-seen and the history's mean: a
     * heartbeat moves last-seen before it records its gap, so last-seen is read again after the mean and
     * the pair read again if it moved, up to {@link HeartbeatHistory#MAX_READ_ATTEMPTS} attempts in all.
     * When every attempt failed, the last view is used and flagged (the caller counts it): the last-seen
     * read after the last mean, with that mean, which may be from the window before that last-seen and
     * mixed across the records that raced it.
     * With idle-aware φ the outstanding-request marker is read last ({@link OutstandingRequests}): a
     * response racing the read moves last-seen before its end lowers the count, so whichever of the two
     * this read sees, the silence it computes ran from a real heartbeat or a real send.
     * Lock-free, allocation-free; the caller checks the record's generation.
     *
     * @param recordOffset of a site record.
     * @param lastSeenRead its last-seen word, read volatile by the caller.
     * @param nowNs        the current time, {@code >= 0}.
     * @return φ, with its sign bit set when the last mean view was not quiescent.
     */
    public double phiView(final int recordOffset, final long lastSeenRead, final long nowNs)
    {
        // One range check for the record; its history and last-seen words are then addressed directly.
        return phiViewAt(RecordMemory.base(buffer),
            RecordMemory.address(buffer, recordOffset, TrackerLayout.SITE_RECORD_LENGTH), recordOffset, lastSeenRead, nowNs);
    }

    /**
     * {@link #phiView(int, long, long)} for a record the caller addressed through its table
     * ({@link RecordTable#recordAddress}), as a scan does. Lock-free, allocation-free; the caller checks the
     * record's generation.
     *
     * @param base          {@link RecordTable#base()} of the site table.
     * @param recordAddress the record's address.
     * @param recordOffset  the record's offset in the buffer.
     * @param lastSeenRead  its last-seen word, read volatile by the caller.
     * @param nowNs         the current time, {@code >= 0}.
     * @return as {@link #phiView(int, long, long)}.
     */
    public double phiViewAt(
        final Object base, final long recordAddress, final int recordOffset, final long lastSeenRead, final long nowNs)
    {
        long lastSeen = lastSeenRead;
        double meanView = 0.0;
        final long control = recordAddress + SiteRecord.HISTORY_OFFSET;
        for (int attempt = 0; attempt < HeartbeatHistory.MAX_READ_ATTEMPTS && SiteRecord.isSeen(lastSeen); attempt++)
        {
            meanView = HeartbeatHistory.meanViewAt(base, control, historyCapacity);
            final long again = SiteRecord.lastSeenVolatile(base, recordAddress); // after the mean's reads
            if (again == lastSeen && HeartbeatHistory.isQuiescent(meanView))
            {
                break;
            }
            lastSeen = again;
            Thread.onSpinWait();
        }
        final long lastSeenNs = SiteRecord.lastSeenNs(lastSeen);
        final long from = idleAwarePhi ?
            OutstandingRequests.silenceStartNs(buffer, recordOffset, lastSeenNs, nowNs) : lastSeenNs;
        final double phi = phiAt(SiteRecord.isSeen(lastSeen), from, Math.abs(meanView), nowNs);
        return HeartbeatHistory.isQuiescent(meanView) ? phi : -phi;
    }

    /**
     * φ from words already read: {@code (now - from - paused - acceptablePause) / (mean * ln 10)}, at least
     * 0, where {@code from} is where the silence starts ({@link #silenceStartNs}: last-seen for plain φ),
     * {@code paused} is how much of the silence the local pause log explains, counting only pauses ended by
     * {@code nowNs}, and {@code acceptablePause} the configured {@code acceptablePauseNs}. The one φ formula
     * of the tracker and its file reader: plain φ with no acceptable pause is the reference's. Lock-free,
     * allocation-free; O(1) unless a pause overlaps the silence.
     *
     * @param seen           whether the site was seen.
     * @param silenceStartNs where its silence starts; {@link OutstandingRequests#NO_SILENCE} for none.
     * @param meanNs         the history's mean.
     * @param nowNs          the current time.
     * @return φ, finite and {@code >= 0}; 0 when not seen or when {@code nowNs} is not after the silence's start.
     */
    public double phiAt(final boolean seen, final long silenceStartNs, final double meanNs, final long nowNs)
    {
        if (!seen || nowNs <= silenceStartNs)
        {
            return 0.0; // no silence, and never a wrapped difference (NO_SILENCE is Long.MAX_VALUE)
        }
        return PhiAccrual.phi(
            nowNs - silenceStartNs - pauseLog.pausedNsEndedWithin(silenceStartNs, nowNs) - acceptablePauseNs, meanNs);
    }

    /**
     * Where a site's silence starts in this state's φ mode: last-seen for plain φ, the
     * {@link OutstandingRequests} rule for idle-aware φ. Pure as to the buffer.
     *
     * @param lastSeenNs  the site's last heartbeat.
     * @param outstanding its outstanding-request count word.
     * @param since       its since word, read after the count.
     * @param nowNs       the current time.
     * @return the start, or {@link OutstandingRequests#NO_SILENCE}.
     */
    public long silenceStartNs(final long lastSeenNs, final long outstanding, final long since, final long nowNs)
    {
        return idleAwarePhi ? OutstandingRequests.silenceStartNs(outstanding, since, lastSeenNs, nowNs) : lastSeenNs;
    }

    /**
     * φ at {@code nowNs} of a site as a {@link SiteView} captured it, for a reader that lists sites: the
     * same formula as {@link #phi(long, long)} over the view's words. Lock-free, allocation-free.
     *
     * @param view  a view this reader filled.
     * @param nowNs the current time on the writer's clock.
     * @return φ, finite and {@code >= 0}.
     */
    public double phiOf(final SiteView view, final long nowNs)
    {
        final long from = silenceStartNs(
            view.lastSeenNs(), view.outstandingRequests(), view.outstandingSinceWord(), nowNs);
        return phiAt(view.hasBeenSeen(), from, view.historyMeanNs(), nowNs);
    }

    /**
     * The configured budget of an EMA word: {@code srtt + K * rttvar}, K the tracker's (a file's reader: the
     * file's). Pure as to the buffer; allocation-free.
     *
     * @param word an EMA word.
     * @return the budget in nanoseconds, saturating.
     */
    public long budgetNs(final long word)
    {
        return EmaWord.wordBudgetNs(word, budgetMultiplier);
    }

    /**
     * Immutable; any thread.
     *
     * @return K of this state's budgets.
     */
    public int budgetMultiplier()
    {
        return budgetMultiplier;
    }

    @Override
    public long locallyPausedNsWithin(final long fromNs, final long toNs)
    {
        return pauseLog.pausedNsEndedWithin(fromNs, toNs);
    }

    // ----------------------------------------------------------------------------------------------
    // Estimate tiers
    // ----------------------------------------------------------------------------------------------

    /**
     * The tier order of a deadline estimate in a chain context, written once for the tracker's estimate
     * and {@code ChainBudget}: edge {@code (site, chainId, hopIndex)}, site, chain prior, global prior;
     * the first warm one answers, else the caller's static default. Each tier is read whole (one volatile
     * word), tiers one after another; an occupant evicted while read counts as absent. Lock-free,
     * allocation-free; the hot path of an estimate, so {@code tierOut} is a plain slot, not an object.
     *
     * @param site     the site.
     * @param chainId  the chain.
     * @param hopIndex the hop, 0..255 (checked by the caller).
     * @param tierOut  null, or a slot that receives the tier that answered ({@link #EDGE_TIER} ...).
     * @return the first warm tier's EMA word, or {@link EmaWord#EMPTY} when none is warm.
     */
    public long firstWarmWord(final long site, final long chainId, final int hopIndex, final int[] tierOut)
    {
        final long edgeWord = edgeWord(site, chainId, hopIndex);
        if (EmaWord.isWarm(edgeWord))
        {
            return answered(edgeWord, EDGE_TIER, tierOut);
        }
        final long siteWord = siteWord(site);
        if (EmaWord.isWarm(siteWord))
        {
            return answered(siteWord, SITE_TIER, tierOut);
        }
        final long chainWord = chainWord(chainId);
        if (EmaWord.isWarm(chainWord))
        {
            return answered(chainWord, CHAIN_TIER, tierOut);
        }
        final long globalWord = globalWord();
        return EmaWord.isWarm(globalWord) ? answered(globalWord, GLOBAL_TIER, tierOut) : EmaWord.EMPTY;
    }

    private static long answered(final long word, final int tier, final int[] tierOut)
    {
        if (tierOut != null)
        {
            tierOut[0] = tier;
        }
        return word;
    }

    /**
     * Lock-free, allocation-free.
     *
     * @param site the site.
     * @return the site's EMA word, or {@link EmaWord#EMPTY} when it is not tracked (or was evicted while read).
     */
    public long siteWord(final long site)
    {
        return sites.findWord(site, 0, 0, SITE_EMA_OFFSET + AtomicEma.WORD_OFFSET);
    }

    /**
     * The site tier for a caller that resolved the site's record itself. Lock-free, allocation-free.
     *
     * @param handle a handle of the site table, or {@link RecordTable#NOT_FOUND}.
     * @return the EMA word of the occupant {@code handle} names, or {@link EmaWord#EMPTY} when there is none,
     * or it was evicted before or while the word was read.
     */
    public long siteWordAt(final long handle)
    {
        return emaWord(sites, handle, SITE_EMA_OFFSET);
    }

    /**
     * The edge tier. Lock-free, allocation-free.
     *
     * @param site     the site.
     * @param chainId  the chain.
     * @param hopIndex the hop.
     * @return the edge's EMA word, or {@link EmaWord#EMPTY} when it is not tracked (or was evicted while read).
     */
    public long edgeWord(final long site, final long chainId, final int hopIndex)
    {
        return edges.findWord(site, chainId, hopIndex, EMA_OFFSET + AtomicEma.WORD_OFFSET);
    }

    /**
     * The chain tier. Lock-free, allocation-free.
     *
     * @param chainId the chain.
     * @return the chain prior's published word, or {@link EmaWord#EMPTY} when the chain is not tracked.
     */
    public long chainWord(final long chainId)
    {
        return chains.findWord(chainId, 0, 0, TrackerLayout.CHAIN_PUBLISHED_OFFSET + AtomicEma.WORD_OFFSET);
    }

    /**
     * Lock-free, allocation-free.
     *
     * @return the global prior's EMA word.
     */
    public long globalWord()
    {
        return buffer.getLongVolatile(GLOBAL_PRIOR_OFFSET); // the published word, volatile as AtomicEma.word
    }

    /**
     * The EMA word of the occupant a lookup found, or empty when there is none or it was evicted while
     * the word was read: an estimate then falls through as if it had never existed.
     */
    private long emaWord(final RecordTable table, final long handle, final int emaOffset)
    {
        if (handle == RecordTable.NOT_FOUND)
        {
            return EmaWord.EMPTY;
        }
        // One range check for the record: its EMA word and state are then addressed directly.
        final Object base = table.base();
        final long recordAddress = table.recordAddress(RecordTable.record(handle));
        // volatile, as AtomicEma.word
        final long word = RecordMemory.getLongVolatile(base, recordAddress + emaOffset + AtomicEma.WORD_OFFSET);
        return RecordTable.isCurrent(base, recordAddress, handle) ? word : EmaWord.EMPTY;
    }

    // ----------------------------------------------------------------------------------------------
    // Sites
    // ----------------------------------------------------------------------------------------------

    @Override
    public boolean readSite(final long site, final SiteView view)
    {
        final long handle = sites.find(site, 0, 0);
        return handle != RecordTable.NOT_FOUND && readSiteRecord(handle, view, null) >= 0;
    }

    @Override
    public int forEachSite(final SiteView view, final Consumer<SiteView> action)
    {
        int visited = 0;
        final int limit = limit(sites, "site");
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND && readSiteRecord(handle, view, null) >= 0)
            {
                action.accept(view);
                visited++;
            }
        }
        return visited;
    }

    @Override
    public int forEachTrackedSite(final LongConsumer action)
    {
        int visited = 0;
        final int limit = limit(sites, "site");
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final long site = sites.key0(record);
                if (sites.isCurrent(handle))
                {
                    action.accept(site);
                    visited++;
                }
            }
        }
        return visited;
    }

    @Override
    public long trackedSiteCount()
    {
        return sites.size();
    }

    /**
     * Read the site record named by {@code handle} into {@code view}, and its history, oldest first, into
     * {@code ring} unless it is null; checked once the generation confirms the words were one occupant's.
     *
     * @return values copied into {@code ring} (0 when null), or -1 when the site was evicted meanwhile.
     */
    private int readSiteRecord(final long handle, final SiteView view, final long[] ring)
    {
        final int record = RecordTable.record(handle);
        final int recordOffset = sites.recordOffset(record);
        final int control = SiteRecord.historyOffset(recordOffset);
        final int emaOffset = SiteRecord.emaOffset(recordOffset);
        final long site = sites.key0(record);
        final long sampleCount = SiteRecord.sampleCountVolatile(buffer, recordOffset); // count first: see AtomicEma
        final long word = AtomicEma.word(buffer, emaOffset);
        final long lastSeen = SiteRecord.lastSeenVolatile(buffer, recordOffset);
        final long phiStateCode = SiteRecord.phiStateVolatile(buffer, recordOffset);
        final long outstanding = OutstandingRequests.countVolatile(buffer, recordOffset); // count, then since
        final long since = OutstandingRequests.sinceVolatile(buffer, recordOffset);
        // HeartbeatHistory's reader order: completed, sum, claimed, so claimed >= completed.
        final long completed = HeartbeatHistory.completedVolatile(buffer, control);
        final long sum = HeartbeatHistory.sumVolatile(buffer, control);
        final long claimed = buffer.getLongVolatile(control + HeartbeatHistory.CLAIMED_OFFSET);
        final double meanNs = HeartbeatHistory.peekMeanNs(buffer, control, historyCapacity); // a reading: no count
        final int copied = ring == null ? 0 :
            HeartbeatHistory.copyOldestFirst(buffer, control, tables.ringOffset(record), historyCapacity, ring);
        if (!sites.isCurrent(handle))
        {
            return -1;
        }
        if (sampleCount < 0)
        {
            throw siteFault(record, site, "EMA sample count " + sampleCount);
        }
        if (!SiteRecord.isValidLastSeen(lastSeen))
        {
            throw siteFault(record, site, "last-seen word 0x" + Long.toHexString(lastSeen) + " encodes no time or state");
        }
        if (phiStateCode < 0 || phiStateCode >= PhiState.values().length)
        {
            throw siteFault(record, site, "φ state code " + phiStateCode);
        }
        if (!OutstandingRequests.isValid(outstanding))
        {
            throw siteFault(record, site, "outstanding requests " + outstanding + " since " + since);
        }
        if (completed < 0 || claimed < completed || claimed > HeartbeatHistory.MAX_RECORDED)
        {
            throw siteFault(record, site, "history claimed " + claimed + ", completed " + completed);
        }
        if (sum < 0 && claimed == completed)
        {
            // Only a quiescent view proves it: records in flight may have added their evictions' negative
            // differences to the sum before other racers added their values.
            throw siteFault(record, site, "history sum " + sum);
        }
        for (int i = 0; i < copied; i++)
        {
            if (ring[i] < 0 || ring[i] > maxHistoryValueNs)
            {
                throw siteFault(record, site, "history value " + ring[i] + " outside 0.." + maxHistoryValueNs);
            }
        }
        view.nameLength(VIEW_KEY, readName(site, view.nameSink(VIEW_KEY)));
        view.fill(
            VIEW_KEY,
            site,
            word,
            sampleCount,
            SiteRecord.isSeen(lastSeen),
            SiteRecord.lastSeenNs(lastSeen),
            PhiState.fromCode((int)phiStateCode),
            (int)Math.min(completed, historyCapacity),
            meanNs);
        view.fillOutstanding(VIEW_KEY, outstanding, since);
        view.setBudgetMultiplier(VIEW_KEY, budgetMultiplier);
        return copied;
    }

    /**
     * Copy the name of {@code site} into {@code dst}: the key is found (volatile loads), then the length is
     * loaded with acquire, which the namer stored with release after the bytes, so the bytes copied are
     * whole. Lock-free, allocation-free.
     *
     * @param site the site, tracked or not.
     * @param dst  at least {@link NameTable#MAX_NAME_BYTES} long.
     * @return bytes of the name copied; 0 when the site has no name (or it is still being written).
     */
    public int readName(final long site, final byte[] dst)
    {
        final int slotOffset = names.find(site);
        if (slotOffset < 0)
        {
            return 0;
        }
        final long length = names.lengthAcquire(slotOffset);
        if (length < 0 || length > NameTable.MAX_NAME_BYTES)
        {
            throw faults.corrupt("name table: site " + site + ": name length " + length + " outside 0.." +
                NameTable.MAX_NAME_BYTES);
        }
        names.copyName(slotOffset, dst, (int)length);
        return (int)length;
    }

    @Override
    public String siteName(final long site)
    {
        final byte[] utf8 = new byte[NameTable.MAX_NAME_BYTES];
        return new String(utf8, 0, readName(site, utf8), StandardCharsets.UTF_8);
    }

    @Override
    public long droppedNameCount()
    {
        return names.droppedCount();
    }

    private RuntimeException siteFault(final int record, final long site, final String detail)
    {
        return faults.corrupt("site record " + record + " (site " + site + "): " + detail);
    }

    // ----------------------------------------------------------------------------------------------
    // Edges, chain priors, reports, the global prior
    // ----------------------------------------------------------------------------------------------

    @Override
    public boolean readEdge(final long site, final long chainId, final int hopIndex, final EmaView view)
    {
        if (hopIndex < 0 || hopIndex > MAX_HOP_INDEX)
        {
            throw new IllegalArgumentException("hopIndex must be in 0..255 but was " + hopIndex);
        }
        return readEma(edges, edges.find(site, chainId, hopIndex), view, "edge");
    }

    @Override
    public boolean readChainPrior(final long chainId, final EmaView view)
    {
        return readEma(chains, chains.find(chainId, 0, 0), view, "chain");
    }

    @Override
    public boolean readReported(final long fromSite, final long nextHop, final long chainId, final EmaView view)
    {
        return readEma(reported, reported.find(fromSite, nextHop, chainId), view, "reported");
    }

    @Override
    public EmaView readGlobalPrior(final EmaView view)
    {
        // Every count first, then the published word: see StripedPrior.
        final long sampleCount = StripedPrior.globalSampleCount(buffer, tables.layout());
        final long word = buffer.getLongVolatile(GLOBAL_PRIOR_OFFSET); // volatile, after the counts
        if (sampleCount < 0)
        {
            throw faults.corrupt("global prior: " + StripedPrior.globalFault(buffer, tables.layout(), sampleCount));
        }
        view.fill(VIEW_KEY, EmaView.Kind.GLOBAL_PRIOR, 0, 0, 0, word, sampleCount).setBudgetMultiplier(VIEW_KEY, budgetMultiplier);
        return view;
    }

    @Override
    public int forEachEdge(final EmaView view, final Consumer<EmaView> action)
    {
        return forEachEma(edges, view, action, "edge");
    }

    @Override
    public int forEachChainPrior(final EmaView view, final Consumer<EmaView> action)
    {
        return forEachEma(chains, view, action, "chain");
    }

    @Override
    public int forEachReported(final EmaView view, final Consumer<EmaView> action)
    {
        return forEachEma(reported, view, action, "reported");
    }

    /**
     * Edges LIVE now, counted by a pass: a table's size word can lag by a racing insert or removal.
     *
     * @return the count.
     */
    public long liveEdgeCount()
    {
        return countLive(edges, "edge");
    }

    /**
     * Reports LIVE now, counted by a pass.
     *
     * @return the count.
     */
    public long liveReportCount()
    {
        return countLive(reported, "reported");
    }

    private long countLive(final RecordTable table, final String kind)
    {
        long live = 0;
        final int limit = limit(table, kind);
        for (int record = 0; record < limit; record++)
        {
            if (table.isLive(record))
            {
                live++;
            }
        }
        return live;
    }

    private int forEachEma(final RecordTable table, final EmaView view, final Consumer<EmaView> action, final String kind)
    {
        int visited = 0;
        final int limit = limit(table, kind);
        for (int record = 0; record < limit; record++)
        {
            if (readEma(table, table.liveHandle(record), view, kind))
            {
                action.accept(view);
                visited++;
            }
        }
        return visited;
    }

    /** Fill a view from the occupant named by {@code handle}; {@code false} if none or evicted meanwhile. */
    private boolean readEma(final RecordTable table, final long handle, final EmaView view, final String name)
    {
        if (handle == RecordTable.NOT_FOUND)
        {
            return false;
        }
        final int record = RecordTable.record(handle);
        final int emaOffset = EmaRecord.emaOffset(table.recordOffset(record));
        final long key0 = table.key0(record);
        final long key1 = table.key1(record);
        final long key2 = table.key2(record);
        // Count first, then word: see AtomicEma; an edge's count is two words (EmaRecord), a chain prior's
        // its stripes' sum (StripedPrior).
        final long sampleCount = table == edges ? EmaRecord.edgeSampleCountVolatile(buffer, table.recordOffset(record)) :
            table == chains ? StripedPrior.chainSampleCount(buffer, tables.layout(), table.recordOffset(record)) :
            AtomicEma.sampleCount(buffer, emaOffset);
        final long word = AtomicEma.word(buffer, emaOffset);
        if (!table.isCurrent(handle))
        {
            return false;
        }
        final EmaView.Kind kind = table == edges ? EmaView.Kind.EDGE : table == chains ? EmaView.Kind.CHAIN_PRIOR :
            EmaView.Kind.REPORTED;
        if (table == edges && (key2 < 0 || key2 > MAX_HOP_INDEX))
        {
            throw faults.corrupt("edge record " + record + " (site " + key0 + "): hop index " + key2 + " outside 0.." +
                MAX_HOP_INDEX);
        }
        if (sampleCount < 0)
        {
            throw faults.corrupt(name + " record " + record + ": " + (table == chains ?
                StripedPrior.chainFault(buffer, tables.layout(), table.recordOffset(record), sampleCount) :
                "EMA sample count " + sampleCount));
        }
        view.fill(VIEW_KEY, kind, key0, key1, key2, word, sampleCount).setBudgetMultiplier(VIEW_KEY, budgetMultiplier);
        return true;
    }

    /** The table's enumeration bound, refusing a bump counter no writer could leave. */
    private int limit(final RecordTable table, final String kind)
    {
        final long next = table.nextRecordWord();
        if (next < 0 || next > table.capacity())
        {
            throw faults.corrupt(kind + " table: next record " + next + " outside 0.." + table.capacity());
        }
        return (int)next;
    }

    // ----------------------------------------------------------------------------------------------
    // Counters and snapshot
    // ----------------------------------------------------------------------------------------------

    @Override
    public long rejectedSampleCount()
    {
        return buffer.getLongVolatile(REJECTED_COUNTER_OFFSET); // volatile: each writer's atomic add is seen
    }

    @Override
    public long nonQuiescentPhiReadCount()
    {
        return buffer.getLongVolatile(NON_QUIESCENT_COUNTER_OFFSET); // volatile: each writer's atomic add is seen
    }

    @Override
    public long siteOverflowCount()
    {
        return sites.overflowCount();
    }

    @Override
    public long edgeOverflowCount()
    {
        return edges.overflowCount();
    }

    @Override
    public long chainOverflowCount()
    {
        return chains.overflowCount();
    }

    @Override
    public long reportedOverflowCount()
    {
        return reported.overflowCount();
    }

    @Override
    public long evictedSiteCount()
    {
        return sites.removedCount();
    }

    @Override
    public long evictedEdgeCount()
    {
        return edges.removedCount();
    }

    @Override
    public long evictedReportCount()
    {
        return reported.removedCount();
    }

    @Override
    public long localPauseCount()
    {
        return pauseLog.recordedCount();
    }

    @Override
    public long rejectedLocalPauseCount()
    {
        return pauseLog.rejectedCount();
    }

    @Override
    public long cutLocalPauseCount()
    {
        return pauseLog.clampedCount();
    }

    @Override
    public RttTrackerSnapshot.Counters readCounters()
    {
        final RttTrackerSnapshot.Counters counters = new RttTrackerSnapshot.Counters(
            rejectedSampleCount(),
            siteOverflowCount(),
            edgeOverflowCount(),
            chainOverflowCount(),
            reportedOverflowCount(),
            nonQuiescentPhiReadCount(),
            evictedSiteCount(),
            evictedEdgeCount(),
            evictedReportCount());
        // Counters only grow from 0, so no writer leaves one below 0.
        if ((counters.rejectedSamples() | counters.siteOverflows() | counters.edgeOverflows() |
            counters.chainOverflows() | counters.reportedOverflows() | counters.nonQuiescentPhiReads() |
            counters.evictedSites() | counters.evictedEdges() | counters.evictedReports()) < 0)
        {
            throw faults.corrupt("a counter below 0: " + counters);
        }
        return counters;
    }

    @Override
    public RttTrackerSnapshot snapshot()
    {
        final List<RttTrackerSnapshot.Site> siteList = new ArrayList<>();
        final long[] ring = new long[historyCapacity];
        final SiteView siteView = new SiteView();
        final int limit = limit(sites, "site");
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            final int copied = handle == RecordTable.NOT_FOUND ? -1 : readSiteRecord(handle, siteView, ring);
            if (copied < 0)
            {
                continue; // not live, or evicted while copied
            }
            final List<Long> history = new ArrayList<>(copied);
            for (int i = 0; i < copied; i++)
            {
                history.add(ring[i]);
            }
            siteList.add(new RttTrackerSnapshot.Site(
                siteView.site(),
                RttTrackerSnapshot.Ema.of(siteView.word(), siteView.sampleCount()),
                siteView.hasBeenSeen(),
                siteView.lastSeenNs(),
                siteView.lastPhiState(),
                siteView.historyLength(),
                siteView.historyMeanNs(),
                history,
                siteView.name()));
        }
        final List<RttTrackerSnapshot.Edge> edgeList = new ArrayList<>();
        forEachEdge(new EmaView(), v -> edgeList.add(new RttTrackerSnapshot.Edge(
            v.site(), v.chainId(), v.hopIndex(), RttTrackerSnapshot.Ema.of(v.word(), v.sampleCount()))));
        final List<RttTrackerSnapshot.ChainPrior> chainList = new ArrayList<>();
        forEachChainPrior(new EmaView(), v -> chainList.add(new RttTrackerSnapshot.ChainPrior(
            v.chainId(), RttTrackerSnapshot.Ema.of(v.word(), v.sampleCount()))));
        final List<RttTrackerSnapshot.Reported> reportedList = new ArrayList<>();
        forEachReported(new EmaView(), v -> reportedList.add(new RttTrackerSnapshot.Reported(
            v.fromSite(), v.nextHop(), v.chainId(), RttTrackerSnapshot.Ema.of(v.word(), v.sampleCount()))));
        final EmaView global = readGlobalPrior(new EmaView());
        return new RttTrackerSnapshot(
            siteList,
            edgeList,
            chainList,
            reportedList,
            RttTrackerSnapshot.Ema.of(global.word(), global.sampleCount()),
            readCounters());
    }
}
