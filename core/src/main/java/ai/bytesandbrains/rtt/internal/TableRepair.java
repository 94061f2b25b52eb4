package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.AtomicBuffer;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;

import static ai.bytesandbrains.rtt.internal.RecordTable.FREE_HEAD_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.KEY0_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.LOW_MASK;
import static ai.bytesandbrains.rtt.internal.RecordTable.KEY1_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.KEY2_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.MAX_COUNT;
import static ai.bytesandbrains.rtt.internal.RecordTable.NEXT_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.NEXT_RECORD_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.OVERFLOW_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.PHASE_DEAD;
import static ai.bytesandbrains.rtt.internal.RecordTable.PHASE_FREE;
import static ai.bytesandbrains.rtt.internal.RecordTable.PHASE_LIVE;
import static ai.bytesandbrains.rtt.internal.RecordTable.PHASE_MASK;
import static ai.bytesandbrains.rtt.internal.RecordTable.PINS_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.REMOVED_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.REMOVER_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.SIZE_OFFSET;
import static ai.bytesandbrains.rtt.internal.RecordTable.STATE_OFFSET;

/**
 * The cold side of a {@link RecordTable}: validation and repair of a table found in memory an earlier
 * process wrote, and restoring its counters on import. Every method is single-threaded and runs before
 * the table is shared, so it uses plain loads and stores; handing the table over publishes them.
 */
public final class TableRepair
{
    private TableRepair()
    {
    }

    /**
     * Make a table found in memory written by an earlier process consistent again; single-threaded,
     * before the table is shared. A process killed mid-insert or mid-removal can leave reserved records
     * never linked, linked records not yet LIVE, DEAD records still linked, pins and claims never released,
     * a held remover word or a stale free list. This keeps every record reachable from its bucket in phase
     * RESERVED or LIVE of its link's generation, marks it LIVE and relinks it; every other record below
     * the high-water mark is zeroed, told to {@code onUnpublished} and returned to a rebuilt free list.
     * Records at or above the high-water mark, which the bump allocator hands out as they are, are
     * zeroed as a fresh table has them (written only where not already zero, so that untouched pages of
     * a sparse file stay unallocated). Generations are kept (bumped for records that were DEAD); the
     * overflow and removed counts are kept. Every chain walk is bounded by the capacity (a record met
     * twice is a cycle), so no content of the region can make this loop forever. What the owner keeps
     * in a kept record's payload is the owner's to validate.
     *
     * @param table         the table.
     * @param onUnpublished told of every record below the high-water mark returned to the free list,
     *                      for the owner to zero its own regions.
     * @throws IllegalStateException when the buckets or control words cannot come from this table, naming
     *                               the word.
     */
    public static void repair(final RecordTable table, final IntConsumer onUnpublished)
    {
        repair(table, validate(table), onUnpublished);
    }

    /**
     * The read-only half of {@link #repair(RecordTable, IntConsumer)}: check the control words, buckets and chains and
     * find the records a repair keeps, writing nothing, so that an owner can validate the whole state
     * before any of it changes. Single-threaded, before the table is shared.
     *
     * @param table the table.
     * @return per record, whether a repair keeps it.
     * @throws IllegalStateException when the buckets or control words cannot come from this table, naming
     *                               the word.
     */
    public static boolean[] validate(final RecordTable table)
    {
        // Plain loads: single-threaded, before the table is shared; nothing races them.
        final AtomicBuffer buffer = table.buffer;
        final int capacity = table.capacity;
        final int controlOffset = table.controlOffset;
        final long next = buffer.getLong(controlOffset + NEXT_RECORD_OFFSET);
        if (next < 0 || next > capacity)
        {
            throw new IllegalStateException("corrupt table: next record " + next + " outside 0.." + capacity);
        }
        requireCount(table, OVERFLOW_OFFSET, "overflow count");
        requireCount(table, REMOVED_OFFSET, "removed count");
        final boolean[] kept = new boolean[capacity];
        final boolean[] linked = new boolean[capacity];
        final Set<Key> keys = new HashSet<>();
        for (int bucket = 0; bucket <= table.bucketMask; bucket++)
        {
            keys.clear();
            long link = buffer.getLong(table.bucketsOffset + bucket * Long.BYTES);
            while (link != 0)
            {
                final int record = (int)(link & LOW_MASK) - 1;
                if (record < 0 || record >= next || linked[record])
                {
                    // a record met twice is a cycle: every walk stops within capacity steps
                    throw new IllegalStateException("corrupt table: bucket " + bucket + " links record " + record);
                }
                linked[record] = true;
                final int offset = table.recordOffset(record);
                final long state = buffer.getLong(offset + STATE_OFFSET);
                final long phase = state & PHASE_MASK;
                final boolean deadAtUnlink = state == ((((link >>> 32) + 1) & LOW_MASK) << 32 | PHASE_DEAD);
                if (!deadAtUnlink && ((state >>> 32) != (link >>> 32) || phase == PHASE_FREE || phase == PHASE_DEAD))
                {
                    throw new IllegalStateException("corrupt table: bucket " + bucket + " links record " + record +
                        " in state " + Long.toHexString(state));
                }
                if (!deadAtUnlink)
                {
                    final Key key = new Key(buffer.getLong(offset + KEY0_OFFSET), buffer.getLong(offset + KEY1_OFFSET),
                        buffer.getLong(offset + KEY2_OFFSET));
                    if (table.bucketOffset(key.key0, key.key1, key.key2) != table.bucketsOffset + bucket * Long.BYTES)
                    {
                        throw new IllegalStateException("corrupt table: record " + record + " in bucket " + bucket);
                    }
                    if (!keys.add(key)) // one key hashes to one bucket: a duplicate is in this chain
                    {
                        throw new IllegalStateException("corrupt table: key of record " + record + " linked twice");
                    }
                    kept[record] = true;
                }
                link = buffer.getLong(offset + NEXT_OFFSET);
            }
        }
        return kept;
    }

    private record Key(long key0, long key1, long key2)
    {
    }

    /**
     * The writing half of {@link #repair(RecordTable, IntConsumer)}, given what {@link #validate(RecordTable)} returned
     * for this table unchanged since. Single-threaded, before the table is shared.
     *
     * @param table         the table.
     * @param kept          from {@link #validate(RecordTable)}.
     * @param onUnpublished as for {@link #repair(RecordTable, IntConsumer)}.
     */
    public static void repair(final RecordTable table, final boolean[] kept, final IntConsumer onUnpublished)
    {
        // Plain stores: single-threaded, before the table is shared; handing the table over publishes them.
        final AtomicBuffer buffer = table.buffer;
        final int controlOffset = table.controlOffset;
        final int recordLength = table.recordLength;
        final long next = buffer.getLong(controlOffset + NEXT_RECORD_OFFSET);
        buffer.setMemory(table.bucketsOffset, (table.bucketMask + 1) * Long.BYTES, (byte)0);
        buffer.putLong(controlOffset + FREE_HEAD_OFFSET, 0);
        buffer.putLong(controlOffset + REMOVER_OFFSET, 0);
        long size = 0;
        for (int record = (int)next - 1; record >= 0; record--)
        {
            final int offset = table.recordOffset(record);
            final long state = buffer.getLong(offset + STATE_OFFSET);
            buffer.putLong(offset + PINS_OFFSET, 0);
            buffer.putLong(offset + table.pinOffset(), 0);
            if (table.claimOffset() != 0)
            {
                buffer.putLong(offset + table.claimOffset(), 0); // a claim held when its process died
            }
            if (kept[record])
            {
                final int bucketOffset = table.bucketOffset(
                    buffer.getLong(offset + KEY0_OFFSET), buffer.getLong(offset + KEY1_OFFSET),
                    buffer.getLong(offset + KEY2_OFFSET));
                buffer.putLong(offset + STATE_OFFSET, (state & ~LOW_MASK) | PHASE_LIVE);
                buffer.putLong(offset + NEXT_OFFSET, buffer.getLong(bucketOffset));
                buffer.putLong(bucketOffset, (state & ~LOW_MASK) | (record + 1));
                size++;
            }
            else
            {
                final long generation = (state >>> 32) + ((state & PHASE_MASK) == PHASE_DEAD ? 0 : 1);
                buffer.setMemory(offset, recordLength, (byte)0);
                buffer.putLong(offset + STATE_OFFSET, (generation & LOW_MASK) << 32);
                onUnpublished.accept(record);
                table.free(record);
            }
        }
        buffer.putLong(controlOffset + SIZE_OFFSET, size);
        clear(buffer, table.recordOffset((int)next), (table.capacity - (int)next) * recordLength);
    }

    private static void requireCount(final RecordTable table, final int offset, final String name)
    {
        final AtomicBuffer buffer = table.buffer;
        final int controlOffset = table.controlOffset;
        final long count = buffer.getLong(controlOffset + offset);
        if (count < 0 || count > MAX_COUNT)
        {
            throw new IllegalStateException("corrupt table: " + name + " " + count + " outside 0.." + MAX_COUNT);
        }
    }

    /**
     * Zero a region, storing only into words that are not zero already: a restore then never dirties the
     * untouched pages of a sparse file. Single-threaded: for repair, before the buffer is shared.
     *
     * @param buffer holding the region.
     * @param offset of the region, 8-byte aligned.
     * @param length bytes, a multiple of 8.
     */
    public static void clear(final AtomicBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i) != 0)
            {
                buffer.putLong(offset + i, 0); // plain: single-threaded repair; sharing the buffer publishes it
            }
        }
    }

    /**
     * Set the overflow count, when rebuilding a tracker from an exported snapshot. Single-threaded:
     * before the table is shared.
     *
     * @param table         the table.
     * @param overflowCount the count to restore.
     */
    public static void restoreOverflowCount(final RecordTable table, final long overflowCount)
    {
        table.buffer.putLong(table.controlOffset + OVERFLOW_OFFSET, overflowCount); // plain: single-threaded import
    }

    /**
     * Set the count of removed records, when rebuilding a tracker from an exported snapshot.
     * Single-threaded: before the table is shared.
     *
     * @param table        the table.
     * @param removedCount the count to restore.
     */
    public static void restoreRemovedCount(final RecordTable table, final long removedCount)
    {
        table.buffer.putLong(table.controlOffset + REMOVED_OFFSET, removedCount); // plain: single-threaded import
    }

}
