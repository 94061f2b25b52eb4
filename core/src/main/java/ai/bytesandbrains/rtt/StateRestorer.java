package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.state.EmaRecord;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.state.SiteRecord;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.TableRepair;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_PRIOR_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.NON_QUIESCENT_COUNTER_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REJECTED_COUNTER_OFFSET;

/**
 * Validates and repairs the state an earlier process left in a buffer, before a tracker trusts it; the
 * mechanics behind {@link RttTrackerConfig.Builder#restoreOver}. Single-threaded, before the tracker is
 * shared: the stores need no ordering of their own, handing the tracker over publishes them.
 *
 * <p>Every word a tracker later reads is either checked, rebuilt, or reset:
 * <ul>
 *   <li>refused, as {@link IllegalStateException} naming the table, record and field: counters, counts
 *   and removal counts below 0 or above {@link RecordTable#MAX_COUNT} (they would wrap); a table's bump
 *   counter outside its capacity; a bucket or chain link that names no record of its chain, or a cycle;
 *   a kept record whose key does not hash to its bucket,
 *   a key used twice, a site or chain key with non-zero unused words, a hop index outside 0..255; an
 *   EMA whose sample count is negative or, for EMAs fed only by observes, ahead of its word's warm-up
 *   state; a history whose counters no writer could leave or whose values are out of range;</li>
 *   <li>rebuilt: buckets, chain links, free lists, table sizes, remover words, pins, history sums;</li>
 *   <li>reset as a fresh table has them: every record and ring not kept, also those past a table's
 *   high-water mark, which the bump allocator hands out without clearing; ring positions not reached;
 *   last-seen ({@link SiteRecord#RESTORED}) and remembered φ state (LIVE) of kept sites.</li>
 * </ul>
 * Every check runs before the first store, so a refused state is left as it was. Every loop is
 * bounded by a capacity, so no content can make a restore, or a tracker that accepted the state, loop
 * forever.
 */
final class StateRestorer
{
    private final AtomicBuffer buffer;
    private final TrackerLayout layout;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final int historyCapacity;
    private final int ringLength;

    StateRestorer(
        final AtomicBuffer buffer,
        final TrackerLayout layout,
        final RecordTable sites,
        final RecordTable edges,
        final RecordTable chains,
        final RecordTable reported)
    {
        this.buffer = buffer;
        this.layout = layout;
        this.sites = sites;
        this.edges = edges;
        this.chains = chains;
        this.reported = reported;
        this.historyCapacity = layout.config().historyCapacity();
        this.ringLength = (int)HeartbeatHistory.ringLength(historyCapacity);
    }

    /**
     * Validate the whole state, then repair it; see the class Javadoc. Nothing is written before every
     * check has passed, so a refused state is left exactly as it was found.
     *
     * @throws IllegalStateException naming what no writer could have left.
     */
    void restore()
    {
        requireCounter(REJECTED_COUNTER_OFFSET, "rejected-samples counter");
        requireCounter(NON_QUIESCENT_COUNTER_OFFSET, "non-quiescent φ reads counter");
        requireEma(GLOBAL_PRIOR_OFFSET, true, "global prior");
        final boolean[] keptSites = validate(sites, "site");
        final boolean[] keptEdges = validate(edges, "edge");
        final boolean[] keptChains = validate(chains, "chain");
        final boolean[] keptReports = validate(reported, "reported");
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
                requireEma(EmaRecord.emaOffset(edges.recordOffset(record)), true, where(edges, "edge", record));
            }
        }
        for (int record = 0; record < keptChains.length; record++)
        {
            if (keptChains[record])
            {
                requireSingleWordKey(chains, "chain", record);
                requireEma(EmaRecord.emaOffset(chains.recordOffset(record)), true, where(chains, "chain", record));
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
        TableRepair.repair(reported, keptReports, record -> { });
        final int siteLimit = sites.highWaterMark();
        TableRepair.clear(buffer, layout.ringOffset(siteLimit), (sites.capacity() - siteLimit) * ringLength);
        for (int record = 0; record < siteLimit; record++)
        {
            if (keptSites[record])
            {
                final int recordOffset = sites.recordOffset(record);
                HeartbeatHistory.repair(buffer, SiteRecord.historyOffset(recordOffset), layout.ringOffset(record), historyCapacity);
                // Timestamps of another process mean nothing here: restored, not seen, idle from the restart.
                SiteRecord.putLastSeen(buffer, recordOffset, SiteRecord.RESTORED);
                SiteRecord.putPhiState(buffer, recordOffset, PhiState.LIVE.ordinal());
            }
        }
    }

    private void validateSite(final int record)
    {
        requireSingleWordKey(sites, "site", record);
        final int recordOffset = sites.recordOffset(record);
        requireEma(SiteRecord.emaOffset(recordOffset), true, where(sites, "site", record));
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
        final long count = AtomicEma.sampleCount(buffer, emaOffset);
        final int state = EmaWord.state(AtomicEma.word(buffer, emaOffset));
        // Observed counts are incremented, so they need headroom; a report's count is only ever stored.
        if (count < 0 || (observed && (count > RecordTable.MAX_COUNT || (state < EmaWord.WARM_SAMPLES && count > state))))
        {
            throw new IllegalStateException(where + ": EMA sample count " + count + " with " + state +
                " samples in its word");
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
