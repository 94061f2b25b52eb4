package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.TrackerLayout;

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
 * </pre>
 * Static and pure: thread-safe, allocation-free, trivially inlined.
 */
public final class EmaRecord
{
    /** Offset of the EMA cell in an edge or reported record; of the published word in a chain record. */
    public static final int EMA_OFFSET = TrackerLayout.EMA_OFFSET;

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
}
