package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.LocalPauseLog;
import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.NameTableRepair;
import ai.bytesandbrains.rtt.internal.Utf8;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.StripedPrior;
import ai.bytesandbrains.rtt.internal.TableRepair;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.CHAIN_PUBLISHED_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_PRIOR_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.ISOLATED_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.NON_QUIESCENT_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.PAUSE_LOG_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;

/**
 * The cold, single-threaded ways state enters a tracker other than through its writes: the checks a
 * supplied buffer must pass, restart repair of a buffer an earlier process left (validated, then repaired;
 * {@link RestartClock} dates the restart), and snapshot import. Nothing else may
 * use the tracker during these calls; handing the tracker over afterwards publishes what they stored,
 * so they use plain stores.
 *
 * <h2>Restart repair</h2>
 * Every word a tracker later reads is either checked, rebuilt, or reset:
 * <ul>
 *   <li>refused, as {@link IllegalStateException} naming the table, record and field: counters, counts
 *   and removal counts below 0 or above {@link RecordTable#MAX_COUNT} (they would wrap); a table's bump
 *   counter outside its capacity; a bucket or chain link that names no record of its chain, or a cycle;
 *   a kept record whose key does not hash to its bucket,
 *   a key used twice, a site or chain key with non-zero unused words, a hop index outside 0..255; an
 *   EMA whose sample count is negative or, for EMAs fed only by observes, ahead of its word's warm-up
 *   state; a prior stripe's or shared cell's count (or their sum) outside 0..{@link RecordTable#MAX_COUNT};
 *   a history whose counters no writer could leave or whose values are out of range; an
 *   outstanding-request marker no writer could leave ({@link OutstandingRequests#isValid});</li>
 *   <li>rebuilt: buckets, chain links, free lists, table sizes, remover words, pins and claims (cleared),
 *   history sums; the contended count and history words of site and edge claims folded into the
 *   claimants' words; the priors' stripes ({@code StripedPrior}): owners cleared (the old process's
 *   thread ids), every stripe word and the shared cell's seeded with the published word, the total count
 *   in the shared cell;</li>
 *   <li>reset as a fresh table has them: every record and ring not kept, also those past a table's
 *   high-water mark, which the bump allocator hands out without clearing; ring positions not reached;
 *   last-seen ({@link SiteRecord#RESTORED}), remembered φ state (LIVE) and outstanding-request marker
 *   (none: the old process's requests died with it) of kept sites; the local pause log, whose pauses were
 *   on the old process's clock;</li>
 *   <li>the name table: refused for a dropped count outside 0..{@link RecordTable#MAX_COUNT}, a length on a
 *   free slot or above {@link NameTable#MAX_NAME_BYTES}, bytes that are not UTF-8, a site named twice; then
 *   rebuilt from its published names, so a slot a killed namer claimed but never published is dropped and
 *   every name sits where a lookup probes for it.</li>
 * </ul>
 * Every check runs before the first store, so a refused state is left as it was. Every loop is
 * bounded by a capacity, so no content can make a restore, or a tracker that accepted the state, loop
 * forever.
 */
final class TrackerRecovery
{
    private final TrackerTables tables;
    private final AtomicBuffer buffer;
    private final TrackerLayout layout;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final NameTable names;
    private final int historyCapacity;
    private final int ringLength;
    private final RestartClock restartClock;
    private final SiteEvictor evictor;

    TrackerRecovery(final TrackerTables tables, final RestartClock restartClock, final SiteEvictor evictor)
    {
        this.tables = tables;
        this.buffer = tables.buffer();
        this.layout = tables.layout();
        this.sites = tables.sites();
        this.edges = tables.edges();
        this.chains = tables.chains();
        this.reported = tables.reported();
        this.names = tables.names();
        this.historyCapacity = tables.historyCapacity();
        this.ringLength = (int)HeartbeatHistory.ringLength(historyCapacity);
        this.restartClock = restartClock;
        this.evictor = evictor;
    }

    /**
     * Validate and repair state left by an earlier process (see "Restart repair" above) and forget its
     * timestamps: {@code nanoTime} origins differ between processes, so every site becomes "never seen"
     * (φ 0, state LIVE) while keeping its EMAs, counts and inter-arrival history, and the local pauses it
     * logged are dropped; its next round trip is its first heartbeat again, and idle eviction judges it
     * silent from the restart on.
     */
    void repairAfterRestart()
    {
        validateAndRepair();
        LocalPauseLog.clear(buffer, PAUSE_LOG_OFFSET, LOCAL_PAUSE_LOG_CAPACITY); // on the old process's clock
        restartClock.restored();
        if (tables.sites().overflowCount() == 0)
        {
            // With no site ever refused, an edge or report without its site can only be what a writer
            // killed between removing a site and its edges left behind.
            evictor.removeOrphans();
        }
    }

    /** A tracker over fresh, owned memory. */
    static RttTracker allocate(final RttTrackerConfig config)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        final int length = checkedLength(layout);
        // Owned memory is released by the garbage collector once the tracker is unreachable, never by
        // close(): a thread racing close() must not touch freed memory.
        final AtomicBuffer buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(length, ISOLATED_RECORD_LENGTH));
        return new RttTracker(config, layout, buffer);
    }

    /** A tracker over a supplied buffer, zeroed. */
    static RttTracker over(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        buffer.setMemory(0, checkedBuffer(layout, buffer), (byte)0);
        return new RttTracker(config, layout, buffer);
    }

    /** A tracker over a buffer an earlier process left, validated and repaired. */
    static RttTracker restore(final RttTrackerConfig config, final AtomicBuffer buffer)
    {
        final TrackerLayout layout = new TrackerLayout(config);
        checkedBuffer(layout, buffer);
        final RttTracker tracker = new RttTracker(config, layout, buffer);
        tracker.recovery.repairAfterRestart();
        return tracker;
    }

    /** A supplied buffer must be there, aligned and long enough; returns the length the layout uses. */
    static int checkedBuffer(final TrackerLayout layout, final AtomicBuffer buffer)
    {
        final int length = checkedLength(layout);
        if (buffer == null)
        {
            throw new IllegalArgumentException("buffer must not be null");
        }
        requireAligned(buffer);
        if (buffer.capacity() < length)
        {
            throw new IllegalArgumentException(
                "buffer capacity " + buffer.capacity() + " is smaller than the " + length +
                " bytes this configuration needs");
        }
        return length;
    }

    /**
     * Every 64-bit word of the layout lies at a multiple of 8 from the buffer's start, so the start must be
     * 8-byte aligned for the atomic accesses. Checked here rather than by Agrona's {@code verifyAlignment},
     * which only prints a line on stderr for a {@code byte[]} unless {@code agrona.strict.alignment.checks}
     * is set. A {@code byte[]} (or a heap {@code ByteBuffer}) is refused whatever its offset: the JVM does
     * not promise 8-byte aligned array data for atomic long access, and the state is meant to live off-heap.
     */
    private static void requireAligned(final AtomicBuffer buffer)
    {
        if (buffer.byteArray() != null)
        {
            throw new IllegalStateException("buffer is backed by a byte[] (or a heap ByteBuffer), whose data the " +
                "JVM does not guarantee 8-byte aligned for atomic access: use a direct or mapped buffer, " +
                "e.g. BufferUtil.allocateDirectAligned");
        }
        if ((buffer.addressOffset() & (Long.BYTES - 1)) != 0)
        {
            throw new IllegalStateException("buffer address " + buffer.addressOffset() + " is not 8-byte aligned: " +
                "wrap the memory at an offset that is a multiple of 8");
        }
    }

    static int checkedLength(final TrackerLayout layout)
    {
        final long length = layout.totalLength();
        if (length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException(
                "configuration needs " + length + " bytes, more than one buffer can address (2^31 - 8): " +
                "reduce siteCapacity or historyCapacity");
        }
        return (int)length;
    }

    /** See {@link RttTracker#importSnapshot}. */
    void importSnapshot(final RttTrackerSnapshot snapshot)
    {
        if (sites.highWaterMark() + edges.highWaterMark() + chains.highWaterMark() + reported.highWaterMark() != 0 ||
            StripedPrior.globalSampleCount(buffer, layout) != 0)
        {
            throw new IllegalStateException("importSnapshot needs an empty tracker");
        }
        requireImportable(snapshot, historyCapacity);
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            final long[] history = site.historyNs().stream().mapToLong(Long::longValue).toArray();
            final int record = insertForImport(sites, site.site(), 0, 0, "sites");
            final int recordOffset = sites.recordOffset(record);
            loadEma(SiteRecord.emaOffset(recordOffset), site.ema());
            HeartbeatHistory.load(
                buffer, SiteRecord.historyOffset(recordOffset), tables.ringOffset(record), historyCapacity, history);
            SiteRecord.putLastSeen(buffer, recordOffset, SiteRecord.RESTORED); // as after a restart
            if (!site.name().isEmpty())
            {
                names.name(site.site(), site.name(), Utf8.encodedLength(site.name()));
            }
        }
        restartClock.restored();
        for (final RttTrackerSnapshot.Edge edge : snapshot.edges())
        {
            RttTracker.checkHop(edge.hopIndex());
            final int record = insertForImport(edges, edge.site(), edge.chainId(), edge.hopIndex(), "edges");
            loadEma(EmaRecord.emaOffset(edges.recordOffset(record)), edge.ema());
        }
        for (final RttTrackerSnapshot.ChainPrior chain : snapshot.chainPriors())
        {
            final int recordOffset = chains.recordOffset(insertForImport(chains, chain.chainId(), 0, 0, "chains"));
            StripedPrior.reseedChain(buffer, layout, recordOffset, importedWord(chain.ema()), chain.ema().sampleCount());
        }
        for (final RttTrackerSnapshot.Reported report : snapshot.reported())
        {
            final int record = insertForImport(reported, report.fromSite(), report.nextHop(), report.chainId(), "reported");
            loadEma(EmaRecord.emaOffset(reported.recordOffset(record)), report.ema());
        }
        // The imported prior is published, its count in the shared cell; no thread owns a stripe yet.
        StripedPrior.reseedGlobal(buffer, layout, importedWord(snapshot.globalPrior()), snapshot.globalPrior().sampleCount());
        final RttTrackerSnapshot.Counters counters = snapshot.counters();
        buffer.putLong(REJECTED_COUNTER_OFFSET, counters.rejectedSamples());
        buffer.putLong(NON_QUIESCENT_COUNTER_OFFSET, counters.nonQuiescentPhiReads());
        TableRepair.restoreOverflowCount(sites, counters.siteOverflows());
        TableRepair.restoreOverflowCount(edges, counters.edgeOverflows());
        TableRepair.restoreOverflowCount(chains, counters.chainOverflows());
        TableRepair.restoreOverflowCount(reported, counters.reportedOverflows());
        TableRepair.restoreRemovedCount(sites, counters.evictedSites());
        TableRepair.restoreRemovedCount(edges, counters.evictedEdges());
        TableRepair.restoreRemovedCount(reported, counters.evictedReports());
    }

    /** Refuse, before anything is stored, what the snapshot could only be clamped or cut to fit. */
    private static void requireImportable(final RttTrackerSnapshot snapshot, final int historyCapacity)
    {
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            if (site.historyNs().size() > historyCapacity || site.historyNs().stream().anyMatch(value -> value < 0))
            {
                throw new IllegalArgumentException("snapshot history of site " + site.site() +
                    " holds a negative value or more than historyCapacity " + historyCapacity + " values");
            }
            if (Utf8.encodedLength(site.name()) > NameTable.MAX_NAME_BYTES || site.site() == NameTable.KEY_MASK &&
                !site.name().isEmpty())
            {
                throw new IllegalArgumentException("snapshot name of site " + site.site() + " is longer than " +
                    NameTable.MAX_NAME_BYTES + " UTF-8 bytes, or names the one id that cannot be named");
            }
        }
        final RttTrackerSnapshot.Counters counters = snapshot.counters();
        if ((counters.rejectedSamples() | counters.nonQuiescentPhiReads() | counters.siteOverflows() |
            counters.edgeOverflows() | counters.chainOverflows() | counters.reportedOverflows() |
            counters.evictedSites() | counters.evictedEdges() | counters.evictedReports()) < 0)
        {
            throw new IllegalArgumentException("snapshot holds a negative counter: " + counters);
        }
    }

    private static int insertForImport(
        final RecordTable table, final long key0, final long key1, final long key2, final String what)
    {
        final long handle = table.findOrInsert(key0, key1, key2);
        if (handle == RecordTable.NOT_FOUND)
        {
            throw new IllegalArgumentException("snapshot holds more " + what + " than this tracker's capacity " +
                table.capacity());
        }
        return RecordTable.record(handle);
    }

    private void loadEma(final int emaOffset, final RttTrackerSnapshot.Ema ema)
    {
        AtomicEma.overwrite(buffer, emaOffset, importedWord(ema), ema.sampleCount());
    }

    private static long importedWord(final RttTrackerSnapshot.Ema ema)
    {
        if ((ema.srttNs() | ema.rttvarNs() | ema.sampleCount()) < 0)
        {
            throw new IllegalArgumentException("snapshot holds a negative EMA value: " + ema);
        }
        return EmaWord.pack(ema.sampleCount(), ema.srttNs(), ema.rttvarNs());
    }

    /**
     * Validate the whole state, then repair it; see "Restart repair" in the class Javadoc. Nothing is written before every
     * check has passed, so a refused state is left exactly as it was found.
     *
     * @throws IllegalStateException naming what no writer could have left.
     */
    private void validateAndRepair()
    {
        requireCounter(REJECTED_COUNTER_OFFSET, "rejected-samples counter");
        requireCounter(NON_QUIESCENT_COUNTER_OFFSET, "non-quiescent φ reads counter");
        final long globalCount = StripedPrior.globalSampleCount(buffer, layout);
        if (globalCount < 0)
        {
            throw new IllegalStateException("global prior: " + StripedPrior.globalFault(buffer, layout, globalCount));
        }
        final boolean[] keptSites = validate(sites, "site");
        final boolean[] keptEdges = validate(edges, "edge");
        final boolean[] keptChains = validate(chains, "chain");
        final boolean[] keptReports = validate(reported, "reported");
        final List<NameTableRepair.Entry> keptNames;
        try
        {
            keptNames = NameTableRepair.validate(names);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException("name table: " + ex.getMessage(), ex);
        }
        for (int record = 0; record < keptSites.length; record++)
        {
            if (keptSites[record])
            {
                validateSite(record);
            }
        }
        for (int record = 0; record < keptEdges.length; record++)
        {
            if (keptEdges[record])
            {
                final long hopIndex = edges.key2(record);
                if (hopIndex < 0 || hopIndex > RttTracker.MAX_HOP_INDEX)
                {
                    throw fault(edges, "edge", record, "hop index " + hopIndex + " outside 0.." + RttTracker.MAX_HOP_INDEX);
                }
                final int recordOffset = edges.recordOffset(record);
                final long contended = buffer.getLong(recordOffset + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET);
                final long claimants = AtomicEma.sampleCount(buffer, EmaRecord.emaOffset(recordOffset));
                requireContendedCount(contended, claimants, edges, "edge", record);
                requireEma(EmaRecord.emaOffset(recordOffset), claimants + contended, true, where(edges, "edge", record));
            }
        }
        for (int record = 0; record < keptChains.length; record++)
        {
            if (keptChains[record])
            {
                requireSingleWordKey(chains, "chain", record);
                requireChainPrior(chains.recordOffset(record), where(chains, "chain", record));
            }
        }
        for (int record = 0; record < keptReports.length; record++)
        {
            if (keptReports[record])
            {
                // Racing reports may leave one report's word with another's count: no relation to check.
                requireEma(EmaRecord.emaOffset(reported.recordOffset(record)), false, where(reported, "reported", record));
            }
        }

        // Every check passed: repair.
        TableRepair.repair(sites, keptSites, record -> buffer.setMemory(layout.ringOffset(record), ringLength, (byte)0));
        TableRepair.repair(edges, keptEdges, record -> { });
        TableRepair.repair(chains, keptChains, record -> { });
        // Priors: owners were the old process's threads; every stripe continues from the published word,
        // the whole count in the shared cell, so the first writer after the restart continues the prior exactly.
        StripedPrior.clearOwners(buffer, layout);
        StripedPrior.reseedGlobal(buffer, layout, buffer.getLong(GLOBAL_PRIOR_OFFSET), globalCount);
        for (int record = 0; record < keptChains.length; record++)
        {
            if (keptChains[record])
            {
                final int recordOffset = chains.recordOffset(record);
                StripedPrior.reseedChain(buffer, layout, recordOffset, buffer.getLong(recordOffset + CHAIN_PUBLISHED_OFFSET),
                    StripedPrior.chainSampleCount(buffer, layout, recordOffset));
            }
        }
        TableRepair.repair(reported, keptReports, record -> { });
        NameTableRepair.rebuild(names, keptNames); // names outlive their sites: every valid one is kept
        for (int record = 0; record < keptEdges.length; record++)
        {
            if (keptEdges[record])
            {
                final int recordOffset = edges.recordOffset(record);
                foldContendedCount(EmaRecord.emaOffset(recordOffset), recordOffset + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET);
            }
        }
        final int siteLimit = sites.highWaterMark();
        TableRepair.clear(buffer, layout.ringOffset(siteLimit), (sites.capacity() - siteLimit) * ringLength);
        for (int record = 0; record < siteLimit; record++)
        {
            if (keptSites[record])
            {
                final int recordOffset = sites.recordOffset(record);
                HeartbeatHistory.repair(buffer, SiteRecord.historyOffset(recordOffset), layout.ringOffset(record), historyCapacity);
                foldContendedCount(SiteRecord.emaOffset(recordOffset), recordOffset + SiteRecord.CONTENDED_COUNT_OFFSET);
                // Timestamps of another process mean nothing here: restored, not seen, idle from the restart.
                SiteRecord.putLastSeen(buffer, recordOffset, SiteRecord.RESTORED);
                SiteRecord.putPhiState(buffer, recordOffset, PhiState.LIVE.ordinal());
                // The old process's requests died with it: nothing is outstanding in this one.
                OutstandingRequests.clear(buffer, recordOffset);
            }
        }
    }

    private void validateSite(final int record)
    {
        requireSingleWordKey(sites, "site", record);
        final int recordOffset = sites.recordOffset(record);
        final long contended = buffer.getLong(recordOffset + SiteRecord.CONTENDED_COUNT_OFFSET);
        final long claimants = AtomicEma.sampleCount(buffer, SiteRecord.emaOffset(recordOffset));
        requireContendedCount(contended, claimants, sites, "site", record);
        requireEma(SiteRecord.emaOffset(recordOffset), claimants + contended, true, where(sites, "site", record));
        final long outstanding = buffer.getLong(recordOffset + OutstandingRequests.COUNT_OFFSET);
        final long since = buffer.getLong(recordOffset + OutstandingRequests.SINCE_OFFSET);
        if (!OutstandingRequests.isValid(outstanding))
        {
            throw fault(sites, "site", record, "outstanding requests " + outstanding + " (since word " + since +
                "): not a count within " + OutstandingRequests.MAX_COUNT + " either way");
        }
        try
        {
            HeartbeatHistory.validate(buffer, SiteRecord.historyOffset(recordOffset), layout.ringOffset(record), historyCapacity);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(where(sites, "site", record) + ": " + ex.getMessage(), ex);
        }
    }

    private static boolean[] validate(final RecordTable table, final String kind)
    {
        try
        {
            return TableRepair.validate(table);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(kind + " table: " + ex.getMessage(), ex);
        }
    }

    private void requireSingleWordKey(final RecordTable table, final String kind, final int record)
    {
        if (table.key1(record) != 0 || table.key2(record) != 0)
        {
            throw fault(table, kind, record, "unused key words " + table.key1(record) + ", " + table.key2(record) +
                " are not 0");
        }
    }

    /**
     * An EMA cell: a count below 0 is refused; so is, for an EMA fed only by observes (or an import, which
     * packs the count it stores), a count above {@link RecordTable#MAX_COUNT} or above a warm-up state below
     * {@link EmaWord#WARM_SAMPLES}, since the word is updated before its count. Every 64-bit word decodes to values within the EMA's range.
     */
    private void requireEma(final int emaOffset, final boolean observed, final String where)
    {
        requireEma(emaOffset, AtomicEma.sampleCount(buffer, emaOffset), observed, where);
    }

    private void requireEma(final int emaOffset, final long count, final boolean observed, final String where)
    {
        final int state = EmaWord.state(AtomicEma.word(buffer, emaOffset));
        // Observed counts are incremented, so they need headroom; a report's count is only ever stored.
        if (count < 0 || (observed && (count > RecordTable.MAX_COUNT || (state < EmaWord.WARM_SAMPLES && count > state))))
        {
            throw new IllegalStateException(where + ": EMA sample count " + count + " with " + state +
                " samples in its word");
        }
    }

    private static void requireContendedCount(
        final long contended, final long claimants, final RecordTable table, final String kind, final int record)
    {
        if (claimants < 0 || claimants > RecordTable.MAX_COUNT || contended < 0 || contended > RecordTable.MAX_COUNT ||
            claimants + contended > RecordTable.MAX_COUNT)
        {
            throw fault(table, kind, record, "contended sample count " + contended + " (with " + claimants +
                " counted by claimants): outside 0.." + RecordTable.MAX_COUNT);
        }
    }

    /** A count is one word again after a restart: no observe holds a claim. Validated first. */
    private void foldContendedCount(final int emaOffset, final int contendedOffset)
    {
        final int countOffset = emaOffset + AtomicEma.COUNT_OFFSET;
        buffer.putLong(countOffset, buffer.getLong(countOffset) + buffer.getLong(contendedOffset));
        buffer.putLong(contendedOffset, 0);
    }

    /**
     * A chain prior: every stripe's and the shared cell's count in 0..{@link RecordTable#MAX_COUNT}, their sum
     * too (the global prior is checked alike). Any 64-bit word is a valid EMA word; unlike a single cell's, the
     * published word's warm-up state bounds no count, since stripes warming up at once add their counts while
     * the word is one stripe's.
     */
    private void requireChainPrior(final int recordOffset, final String where)
    {
        final long count = StripedPrior.chainSampleCount(buffer, layout, recordOffset);
        if (count < 0)
        {
            throw new IllegalStateException(where + ": " + StripedPrior.chainFault(buffer, layout, recordOffset, count));
        }
    }

    private void requireCounter(final int offset, final String name)
    {
        final long count = buffer.getLong(offset);
        if (count < 0 || count > RecordTable.MAX_COUNT)
        {
            throw new IllegalStateException(name + " " + count + " outside 0.." + RecordTable.MAX_COUNT);
        }
    }

    private static IllegalStateException fault(
        final RecordTable table, final String kind, final int record, final String detail)
    {
        return new IllegalStateException(where(table, kind, record) + ": " + detail);
    }

    private static String where(final RecordTable table, final String kind, final int record)
    {
        return kind + " record " + record + " (key " + table.key0(record) + ")";
    }
}
