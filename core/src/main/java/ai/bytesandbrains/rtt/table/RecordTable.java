package ai.bytesandbrains.rtt.table;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.IntConsumer;

/**
 * A lock-free, insert-only hash table of fixed capacity over a region of an {@link AtomicBuffer},
 * mapping a key of up to three longs to a fixed-length record. The owner lays out the record payload.
 *
 * <h2>Region layout</h2>
 * <pre>
 *  +--------------------+  controlOffset
 *  | control (128 B)    |  next record (8) | free-list head (8) | size (8) | overflow (8) | pad
 *  +--------------------+  indexOffset = controlOffset + CONTROL_LENGTH
 *  | index: slots * 8 B |  slots = nextPow2(2 * capacity); 0 = empty, else fingerprint:32 | record+1:32
 *  +--------------------+  recordsOffset = indexOffset + slots * 8
 *  | records            |  capacity * recordLength
 *  +--------------------+
 *
 *  record:
 *   0        8        16       24       32
 *  +--------+--------+--------+--------+------------------ ... -+
 *  |  key0  |  key1  |  key2  | state  |  payload (owner's)     |
 *  +--------+--------+--------+--------+------------------ ... -+
 * </pre>
 *
 * <h2>Insertion and publication</h2>
 * An inserter reserves a record (from the free list, else the bump counter), writes the key into it
 * with plain stores, then CASes the index slot from 0 to (fingerprint, record). The CAS is the release
 * that publishes the key; readers load slot words with volatile reads, so a reader that finds a record
 * sees its whole key. The payload needs no publication: the table is zeroed before the tracker is
 * handed to other threads and zero is every payload's initial state. Two threads inserting the same
 * key race on the same empty slot, or the loser finds the winner's record before reaching an empty
 * one: either way one record. A loser's reserved record was never published and returns to the free
 * list (a Treiber stack whose head carries a 32-bit tag against ABA). After a successful insert the
 * record's state word is CASed to {@link #STATE_LIVE}, by the inserter or by any later
 * {@link #findOrInsert} that finds the record first; enumeration visits only records in that state.
 *
 * <p>With at least twice as many slots as records, every probe sequence meets an empty slot, so lookups
 * terminate. Removal is not supported yet: a later eviction will mark slots as tombstones and bump a
 * generation kept in the upper bits of the state word.
 */
public final class RecordTable
{
    /** Offset of the first key word in a record. */
    public static final int KEY0_OFFSET = 0;
    /** Offset of the second key word in a record. */
    public static final int KEY1_OFFSET = KEY0_OFFSET + Long.BYTES;
    /** Offset of the third key word in a record. */
    public static final int KEY2_OFFSET = KEY1_OFFSET + Long.BYTES;
    /** Offset of the state word in a record. */
    public static final int STATE_OFFSET = KEY2_OFFSET + Long.BYTES;
    /** Offset of the owner's payload in a record. */
    public static final int PAYLOAD_OFFSET = STATE_OFFSET + Long.BYTES;

    /** Record state: never published, or reserved and lost to a racing insert of the same key. */
    public static final long STATE_FREE = 0;
    /** Record state: published in the index. */
    public static final long STATE_LIVE = 1;

    /** Offset of the bump allocator in the control record. */
    public static final int NEXT_RECORD_OFFSET = 0;
    /** Offset of the free-list head (tag:32 | record+1:32) in the control record. */
    public static final int FREE_HEAD_OFFSET = NEXT_RECORD_OFFSET + Long.BYTES;
    /** Offset of the count of published records in the control record. */
    public static final int SIZE_OFFSET = FREE_HEAD_OFFSET + Long.BYTES;
    /** Offset of the count of refused inserts (table full) in the control record. */
    public static final int OVERFLOW_OFFSET = SIZE_OFFSET + Long.BYTES;
    /** Bytes of the control record: two cache lines. */
    public static final int CONTROL_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;

    /** Attempts to reserve a record while racing inserters hold the last free ones. */
    public static final int MAX_RESERVE_ATTEMPTS = 256;

    /** Returned when a key is not found or cannot be inserted. */
    public static final int NOT_FOUND = -1;

    private static final long LOW_MASK = 0xFFFF_FFFFL;

    private final AtomicBuffer buffer;
    private final int capacity;
    private final int recordLength;
    private final int slotMask;
    private final int controlOffset;
    private final int indexOffset;
    private final int recordsOffset;

    /**
     * Wrap a table region that is zeroed or holds a table of the same shape.
     *
     * @param buffer        a direct or mapped buffer; Agrona's {@code verifyAlignment} refuses buffers
     *                      over a {@code byte[]}, whose atomic 8-byte access is not guaranteed aligned.
     * @param controlOffset start of the region, 8-byte aligned.
     * @param capacity      number of records, at least 1.
     * @param recordLength  bytes per record, a multiple of 8 and at least {@link #PAYLOAD_OFFSET}.
     * @throws IllegalArgumentException when the region does not fit the buffer or the shape is invalid.
     * @throws IllegalStateException    when the buffer is not 8-byte aligned.
     */
    public RecordTable(final AtomicBuffer buffer, final int controlOffset, final int capacity, final int recordLength)
    {
        buffer.verifyAlignment();
        if (capacity < 1 || recordLength < PAYLOAD_OFFSET || (recordLength & 7) != 0 || (controlOffset & 7) != 0)
        {
            throw new IllegalArgumentException("invalid table shape: controlOffset=" + controlOffset +
                " capacity=" + capacity + " recordLength=" + recordLength);
        }
        if (controlOffset < 0 || controlOffset + regionLength(capacity, recordLength) > buffer.capacity())
        {
            throw new IllegalArgumentException("table region of " + regionLength(capacity, recordLength) +
                " bytes at " + controlOffset + " does not fit a buffer of " + buffer.capacity() + " bytes");
        }
        this.buffer = buffer;
        this.capacity = capacity;
        this.recordLength = recordLength;
        this.slotMask = slotCount(capacity) - 1;
        this.controlOffset = controlOffset;
        this.indexOffset = controlOffset + CONTROL_LENGTH;
        this.recordsOffset = indexOffset + (slotMask + 1) * Long.BYTES;
    }

    /**
     * @param capacity number of records.
     * @return index slots for that capacity: the next power of two at or above {@code 2 * capacity}.
     */
    public static int slotCount(final int capacity)
    {
        return BitUtil.findNextPositivePowerOfTwo(Math.max(2, 2 * capacity));
    }

    /**
     * @param capacity     number of records.
     * @param recordLength bytes per record.
     * @return bytes of the whole region.
     */
    public static long regionLength(final int capacity, final int recordLength)
    {
        return CONTROL_LENGTH + (long)slotCount(capacity) * Long.BYTES + (long)capacity * recordLength;
    }

    /**
     * @return number of records the table can hold.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @param record a record index.
     * @return offset of the record in the buffer.
     */
    public int recordOffset(final int record)
    {
        return recordsOffset + record * recordLength;
    }

    /**
     * Find the record of a key; lock-free, allocation-free.
     *
     * @param key0 first key word.
     * @param key1 second key word (0 when unused).
     * @param key2 third key word (0 when unused).
     * @return the record index, or {@link #NOT_FOUND}.
     */
    public int find(final long key0, final long key1, final long key2)
    {
        final long hash = hash(key0, key1, key2);
        final long fingerprint = hash >>> 32;
        int slot = (int)hash & slotMask;
        for (int probes = 0; probes <= slotMask; probes++)
        {
            final long word = buffer.getLongVolatile(slotOffset(slot)); // acquire: the record's key is visible
            if (word == 0)
            {
                return NOT_FOUND;
            }
            if ((word >>> 32) == fingerprint)
            {
                final int record = (int)(word & LOW_MASK) - 1;
                if (keyEquals(record, key0, key1, key2))
                {
                    return record;
                }
            }
            slot = (slot + 1) & slotMask;
        }
        return NOT_FOUND;
    }

    /**
     * Find the record of a key, inserting it if absent; lock-free, allocation-free. When the table is
     * full the key is not inserted and the overflow counter is incremented.
     *
     * <p>An inserter that meets a table whose last free records are reserved by racing inserters (not
     * yet published, so the table is not full) waits for them for at most
     * {@link #MAX_RESERVE_ATTEMPTS} short spins, yielding, because one of them may be inserting this
     * very key. Only if they stay unpublished that long (a descheduled thread) is the insert refused
     * and counted as an overflow although the table had not quite filled.
     *
     * @param key0 first key word.
     * @param key1 second key word (0 when unused).
     * @param key2 third key word (0 when unused).
     * @return the record index, or {@link #NOT_FOUND} when the key is absent and the table is full.
     */
    public int findOrInsert(final long key0, final long key1, final long key2)
    {
        final long hash = hash(key0, key1, key2);
        final long fingerprint = hash >>> 32;
        int slot = (int)hash & slotMask;
        int reserved = NOT_FOUND;
        for (int probes = 0; probes <= slotMask; probes++)
        {
            final int slotOffset = slotOffset(slot);
            long word = buffer.getLongVolatile(slotOffset);
            if (word == 0)
            {
                if (reserved == NOT_FOUND)
                {
                    reserved = reserveOrWait(slotOffset);
                    if (reserved == NOT_FOUND)
                    {
                        word = buffer.getLongVolatile(slotOffset);
                        if (word == 0)
                        {
                            buffer.getAndAddLong(controlOffset + OVERFLOW_OFFSET, 1);
                            return NOT_FOUND;
                        }
                    }
                    else
                    {
                        final int recordOffset = recordOffset(reserved);
                        buffer.putLong(recordOffset + KEY0_OFFSET, key0);
                        buffer.putLong(recordOffset + KEY1_OFFSET, key1);
                        buffer.putLong(recordOffset + KEY2_OFFSET, key2);
                    }
                }
                if (reserved != NOT_FOUND)
                {
                    // The CAS releases the key stores above to every reader that acquires this slot.
                    word = buffer.compareAndExchangeLong(slotOffset, 0, (fingerprint << 32) | (reserved + 1));
                    if (word == 0)
                    {
                        markLive(reserved);
                        return reserved;
                    }
                }
            }
            if ((word >>> 32) == fingerprint)
            {
                final int record = (int)(word & LOW_MASK) - 1;
                if (keyEquals(record, key0, key1, key2))
                {
                    if (reserved != NOT_FOUND)
                    {
                        free(reserved);
                    }
                    markLive(record);
                    return record;
                }
            }
            slot = (slot + 1) & slotMask;
        }
        if (reserved != NOT_FOUND)
        {
            free(reserved);
        }
        return NOT_FOUND;
    }

    /**
     * Reserve a record; when none is free but some are reserved and unpublished (size below capacity),
     * wait a little for them, returning early once {@code slotOffset} fills, since that may be this key.
     */
    private int reserveOrWait(final int slotOffset)
    {
        for (int attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++)
        {
            final int record = reserve();
            if (record != NOT_FOUND)
            {
                return record;
            }
            if (buffer.getLongVolatile(controlOffset + SIZE_OFFSET) >= capacity ||
                buffer.getLongVolatile(slotOffset) != 0)
            {
                return NOT_FOUND;
            }
            if ((attempt & 7) == 7)
            {
                Thread.yield(); // on few cores the holder may need this core to publish
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return NOT_FOUND;
    }

    /**
     * Publish a record to enumeration. The inserter does it right after its slot CAS, and every later
     * lookup that inserts-or-finds the record helps, so a descheduled inserter cannot hide a record
     * that other threads keep using. Exactly one CAS wins and counts the record in {@link #size()}.
     */
    private void markLive(final int record)
    {
        final int stateOffset = recordOffset(record) + STATE_OFFSET;
        if (buffer.getLongAcquire(stateOffset) != STATE_LIVE &&
            buffer.compareAndSetLong(stateOffset, STATE_FREE, STATE_LIVE))
        {
            buffer.getAndAddLong(controlOffset + SIZE_OFFSET, 1);
        }
    }

    /**
     * @param record a record index.
     * @return {@code true} when the record is published (acquire read of its state).
     */
    public boolean isLive(final int record)
    {
        return buffer.getLongAcquire(recordOffset(record) + STATE_OFFSET) == STATE_LIVE;
    }

    /**
     * @return one past the highest record index ever reserved: enumeration bound.
     */
    public int highWaterMark()
    {
        return (int)Math.min(buffer.getLongVolatile(controlOffset + NEXT_RECORD_OFFSET), capacity);
    }

    /**
     * @return number of published records.
     */
    public long size()
    {
        return buffer.getLongVolatile(controlOffset + SIZE_OFFSET);
    }

    /**
     * @return number of inserts refused because the table was full.
     */
    public long overflowCount()
    {
        return buffer.getLongVolatile(controlOffset + OVERFLOW_OFFSET);
    }

    /**
     * @param record a record index.
     * @return its first key word.
     */
    public long key0(final int record)
    {
        return buffer.getLong(recordOffset(record) + KEY0_OFFSET);
    }

    /**
     * @param record a record index.
     * @return its second key word.
     */
    public long key1(final int record)
    {
        return buffer.getLong(recordOffset(record) + KEY1_OFFSET);
    }

    /**
     * @param record a record index.
     * @return its third key word.
     */
    public long key2(final int record)
    {
        return buffer.getLong(recordOffset(record) + KEY2_OFFSET);
    }

    /**
     * Make a table found in memory written by an earlier process consistent again; single-threaded,
     * before the table is shared. A process killed mid-insert can leave a reserved record that was
     * never published, a published record not yet marked {@link #STATE_LIVE}, or a stale free list.
     * This rebuilds the LIVE marks and {@link #size()} from the index, zeroes every record reserved but
     * unpublished and returns it to a rebuilt free list; the overflow count is kept.
     *
     * @param onUnpublished told of every record returned to the free list, for the owner to zero its
     *                      own regions.
     * @throws IllegalStateException when the index or control words cannot come from this table.
     */
    public void repair(final IntConsumer onUnpublished)
    {
        final long next = buffer.getLongVolatile(controlOffset + NEXT_RECORD_OFFSET);
        if (next < 0 || next > capacity)
        {
            throw new IllegalStateException("corrupt table: next record " + next + " outside 0.." + capacity);
        }
        final boolean[] published = new boolean[capacity];
        long size = 0;
        for (int slot = 0; slot <= slotMask; slot++)
        {
            final long word = buffer.getLongVolatile(slotOffset(slot));
            if (word == 0)
            {
                continue;
            }
            final int record = (int)(word & LOW_MASK) - 1;
            if (record < 0 || record >= next || published[record])
            {
                throw new IllegalStateException("corrupt table: slot " + slot + " names record " + record);
            }
            final int offset = recordOffset(record);
            final long key0 = buffer.getLong(offset + KEY0_OFFSET);
            final long key1 = buffer.getLong(offset + KEY1_OFFSET);
            final long key2 = buffer.getLong(offset + KEY2_OFFSET);
            if ((hash(key0, key1, key2) >>> 32) != (word >>> 32) || find(key0, key1, key2) != record)
            {
                throw new IllegalStateException("corrupt table: record " + record + " does not match slot " + slot);
            }
            published[record] = true;
            buffer.putLongVolatile(offset + STATE_OFFSET, STATE_LIVE);
            size++;
        }
        buffer.putLongVolatile(controlOffset + FREE_HEAD_OFFSET, 0);
        for (int record = (int)next - 1; record >= 0; record--)
        {
            if (!published[record])
            {
                buffer.setMemory(recordOffset(record), recordLength, (byte)0);
                onUnpublished.accept(record);
                free(record);
            }
        }
        buffer.putLongVolatile(controlOffset + SIZE_OFFSET, size);
    }

    /**
     * Set the overflow count, when rebuilding a tracker from an exported snapshot; single-threaded.
     *
     * @param overflowCount the count to restore.
     */
    public void restoreOverflowCount(final long overflowCount)
    {
        buffer.putLongVolatile(controlOffset + OVERFLOW_OFFSET, overflowCount);
    }

    private int slotOffset(final int slot)
    {
        return indexOffset + slot * Long.BYTES;
    }

    private boolean keyEquals(final int record, final long key0, final long key1, final long key2)
    {
        final int offset = recordOffset(record);
        return buffer.getLong(offset + KEY0_OFFSET) == key0 &&
            buffer.getLong(offset + KEY1_OFFSET) == key1 &&
            buffer.getLong(offset + KEY2_OFFSET) == key2;
    }

    private int reserve()
    {
        final int headOffset = controlOffset + FREE_HEAD_OFFSET;
        long head;
        while ((int)((head = buffer.getLongVolatile(headOffset)) & LOW_MASK) != 0)
        {
            final int record = (int)(head & LOW_MASK) - 1;
            // The link may be torn by a racing pop that reuses the record; the tag makes that CAS fail.
            final long next = buffer.getLongVolatile(recordOffset(record) + KEY0_OFFSET) & LOW_MASK;
            if (buffer.compareAndSetLong(headOffset, head, nextTag(head) | next))
            {
                return record;
            }
        }

        final int nextOffset = controlOffset + NEXT_RECORD_OFFSET;
        long next;
        while ((next = buffer.getLongVolatile(nextOffset)) < capacity)
        {
            if (buffer.compareAndSetLong(nextOffset, next, next + 1))
            {
                return (int)next;
            }
        }
        return NOT_FOUND;
    }

    private void free(final int record)
    {
        final int headOffset = controlOffset + FREE_HEAD_OFFSET;
        final int linkOffset = recordOffset(record) + KEY0_OFFSET;
        while (true)
        {
            final long head = buffer.getLongVolatile(headOffset);
            buffer.putLongVolatile(linkOffset, head & LOW_MASK);
            if (buffer.compareAndSetLong(headOffset, head, nextTag(head) | (record + 1)))
            {
                return;
            }
        }
    }

    private static long nextTag(final long head)
    {
        return ((head >>> 32) + 1) << 32;
    }

    /**
     * Mix a key of up to three words into 64 well-spread bits (MurmurHash3's finaliser per word).
     *
     * @param key0 first key word.
     * @param key1 second key word.
     * @param key2 third key word.
     * @return the hash; low bits pick the slot, high 32 bits are the fingerprint.
     */
    static long hash(final long key0, final long key1, final long key2)
    {
        return mix(key0 ^ mix(key1 ^ mix(key2 + 0x9E37_79B9_7F4A_7C15L)));
    }

    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
