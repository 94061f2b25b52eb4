package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Descriptor of the records that hold one EMA cell and nothing else: edges and reports (see
 * {@link SiteRecord} for sites). The cell itself is read and written through {@code AtomicEma}, count
 * first then word. A chain record holds its prior's published word at the same offset, then its shared
 * cell and stripes ({@code StripedPrior}), so its word reads alike but its count is the stripes' sum.
 *
 * <pre>
 *  edge and reported records: RecordTable's key and state words, then
 *  +-------------+------+
 *  | EMA cell    | pad  |
 *  +-------------+------+
 *  EMA_OFFSET
 *
 *  an edge's claim word is the table's pins word (EDGE_CLAIM_OFFSET), and its pad holds the pin count and
 *  the contended count (EDGE_PINS_OFFSET, EDGE_CONTENDED_COUNT_OFFSET)
 * </pre>
 * An edge is claimed by the observe writing it, as a site is ({@code SiteRecord}): the claimant counts in
 * the cell, an observe that found the edge claimed counts on the contended word, and readers add the two.
 * Static: thread-safe, allocation-free, trivially inlined.
 */
public final class EmaRecord
{
    /** Offset of the EMA cell in an edge or reported record; of the published word in a chain record. */
    public static final int EMA_OFFSET = TrackerLayout.EMA_OFFSET;
    /** Offset of an edge's claim word ({@code RecordClaims}); edges only. */
    public static final int EDGE_CLAIM_OFFSET = TrackerLayout.EDGE_CLAIM_OFFSET;
    /** Offset of the samples counted by observes that found the edge claimed; edges only. */
    public static final int EDGE_CONTENDED_COUNT_OFFSET = TrackerLayout.EDGE_CONTENDED_COUNT_OFFSET;

    private EmaRecord()
    {
    }

    /**
     * Pure.
     *
     * @param recordOffset of the record.
     * @return offset of its EMA cell.
     */
    public static int emaOffset(final int recordOffset)
    {
        return recordOffset + EMA_OFFSET;
    }

    /**
     * Pure but for the table's own arithmetic.
     *
     * @param table  holding the record.
     * @param handle a handle of the table, not {@link RecordTable#NOT_FOUND}.
     * @return offset of the EMA cell of the record it names.
     */
    public static int emaOffset(final RecordTable table, final long handle)
    {
        return table.recordOffset(RecordTable.record(handle)) + EMA_OFFSET;
    }

    /**
     * An edge's exact sample count: the cell's count (its claimants') plus the contended count, read
     * volatile in that order, both before the caller reads the word. Any thread.
     *
     * @param buffer       the state.
     * @param recordOffset of an edge record.
     * @return samples applied, lagging the word by at most the observes in flight.
     */
    public static long edgeSampleCountVolatile(final AtomicBuffer buffer, final int recordOffset)
    {
        return buffer.getLongVolatile(recordOffset + EMA_OFFSET + AtomicEma.COUNT_OFFSET) +
            buffer.getLongVolatile(recordOffset + EDGE_CONTENDED_COUNT_OFFSET);
    }
}
