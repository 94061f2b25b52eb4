package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntConsumer;

/**
 * A real {@link RecordTable} of capacity 2 for removal and reuse races, full at construction: record 0
 * holds a canary key with canary payload, record 1 holds key {@code K} with payload {@code (K_A, K_B)}.
 * Canary words sit before and after the table region. The reclaimer zeroes a removed record's payload
 * and counts its calls (removals are serialised, so a plain count is exact).
 *
 * <pre>
 *  canary | control | buckets | record 0: CANARY key, (CANARY, CANARY) | record 1: K, (K_A, K_B) | canary
 * </pre>
 */
public final class ReuseFixture
{
    /** Records in the table: both taken at construction. */
    public static final int CAPACITY = 2;
    /** Offset of the first payload word in a record. */
    public static final int PAYLOAD_A = RecordTable.PAYLOAD_OFFSET;
    /** Offset of the second payload word in a record. */
    public static final int PAYLOAD_B = PAYLOAD_A + Long.BYTES;
    /** Bytes per record: the table's words and the two payload words. */
    public static final int RECORD_LENGTH = PAYLOAD_B + Long.BYTES;
    /** Start of the table region, after the leading canary word. */
    public static final int CONTROL_OFFSET = Long.BYTES;
    /** First key word of the canary record (record 0). */
    public static final long CANARY_KEY = 0xCA11;
    /** First key word of the record under test (record 1, generation 0). */
    public static final long K = 0x0E1D;
    /** K's first payload word. */
    public static final long K_A = 0x0A0A_0001L;
    /** K's second payload word. */
    public static final long K_B = 0x0B0B_0001L;
    /** First key word of the key that reuses K's record. */
    public static final long J = 0x0E1E;
    /** J's first payload word. */
    public static final long J_A = 0x0A0A_0002L;
    /** J's second payload word. */
    public static final long J_B = 0x0B0B_0002L;
    /** Second and third words of every key. */
    public static final long KEY1 = 7;
    public static final long KEY2 = 8;

    /** The whole buffer: canary, table region, canary. */
    public final AtomicBuffer buffer;
    /** The real table under test. */
    public final RecordTable table;
    /** The handle of K's record at construction: record 1, generation 0. */
    public final long kHandle;
    /** Zeroes a removed record's payload and counts the call. */
    public final IntConsumer reclaim;
    private final int tailOffset;
    private int reclaimed;

    /**
     * Allocate the buffer and fill the table: the canary record, then K with its payload.
     */
    public ReuseFixture()
    {
        final int length = (int)RecordTable.regionLength(CAPACITY, RECORD_LENGTH);
        tailOffset = CONTROL_OFFSET + length;
        // Direct and 64-byte aligned: RecordTable verifies alignment, which a byte[] buffer fails.
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(tailOffset + Long.BYTES, 64));
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(tailOffset, Outcomes.CANARY);
        table = new RecordTable(buffer, CONTROL_OFFSET, CAPACITY, RECORD_LENGTH);
        write(table.findOrInsert(CANARY_KEY, KEY1, KEY2), Outcomes.CANARY, Outcomes.CANARY);
        kHandle = table.findOrInsert(K, KEY1, KEY2);
        write(kHandle, K_A, K_B);
        reclaim = record ->
        {
            reclaimed++;
            buffer.putLongVolatile(table.recordOffset(record) + PAYLOAD_A, 0);
            buffer.putLongVolatile(table.recordOffset(record) + PAYLOAD_B, 0);
        };
    }

    /**
     * Write a record's payload as a tracker writer does: pinned, so a removal waits.
     *
     * @param handle the occupant to write, or {@link RecordTable#NOT_FOUND}.
     * @param a      first payload word.
     * @param b      second payload word.
     * @return {@code true} when written; {@code false} when the handle is {@link RecordTable#NOT_FOUND} or
     * the occupant was removed before the pin.
     */
    public boolean write(final long handle, final long a, final long b)
    {
        if (handle == RecordTable.NOT_FOUND || !table.pin(handle))
        {
            return false;
        }
        final int offset = table.recordOffset(RecordTable.record(handle));
        buffer.putLongVolatile(offset + PAYLOAD_A, a);
        buffer.putLongVolatile(offset + PAYLOAD_B, b);
        table.unpin(handle);
        return true;
    }

    /**
     * Read a record's key word and payload with plain loads, validating nothing: callers check the
     * generation afterwards, or (the broken variant) do not.
     *
     * @param record the record index.
     * @return {@code K} or {@code J} when the three words are that occupant's whole data, {@code zero} for a
     * zeroed payload under K's key, else the three words in hex.
     */
    public String read(final int record)
    {
        final int offset = table.recordOffset(record);
        final long key = buffer.getLong(offset + RecordTable.KEY0_OFFSET);
        final long a = buffer.getLong(offset + PAYLOAD_A);
        final long b = buffer.getLong(offset + PAYLOAD_B);
        if (key == K && a == K_A && b == K_B)
        {
            return "K";
        }
        if (key == J && a == J_A && b == J_B)
        {
            return "J";
        }
        return "key:" + Long.toHexString(key) + ",a:" + Long.toHexString(a) + ",b:" + Long.toHexString(b);
    }

    /**
     * @param key0 first key word; the others are {@link #KEY1} and {@link #KEY2}.
     * @return {@code gone} when the key is not found, else {@code <record>g<generation>:} and its whole data.
     */
    public String occupant(final long key0)
    {
        final long handle = table.find(key0, KEY1, KEY2);
        return handle == RecordTable.NOT_FOUND ? "gone" :
            RecordTable.record(handle) + "g" + RecordTable.generation(handle) + ":" + read(RecordTable.record(handle));
    }

    /**
     * @return the table's bookkeeping and canaries: {@code size=<n> free=<n> removed=<n> overflow=<n>
     * reclaimed=<n> canaries=<ok|HIT>}; on a quiescent table size plus free is the capacity unless a
     * record leaked.
     */
    public String bookkeeping()
    {
        final long canary = table.find(CANARY_KEY, KEY1, KEY2);
        final String canaries = canary == RecordTable.NOT_FOUND ? "HIT" : Outcomes.canaries(
            buffer.getLongVolatile(0), buffer.getLongVolatile(tailOffset),
            buffer.getLongVolatile(table.recordOffset(RecordTable.record(canary)) + PAYLOAD_A),
            buffer.getLongVolatile(table.recordOffset(RecordTable.record(canary)) + PAYLOAD_B));
        return "size=" + table.size() + " free=" + table.freeCount() + " removed=" + table.removedCount() +
            " overflow=" + table.overflowCount() + " reclaimed=" + reclaimed + " canaries=" + canaries;
    }
}
