package ai.bytesandbrains.rtt.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

/**
 * A lock-free hash table of fixed capacity over a region of an {@link AtomicBuffer}, mapping a key of
 * up to three longs to a fixed-length record, with removal and reuse of records. The owner lays out the
 * record payload.
 *
 * <h2>Region layout</h2>
 * <pre>
 *  +----------------------+  controlOffset
 *  | control (128 B)      |  next record | free-list head | size | overflow | remover | removed | pad
 *  +----------------------+  bucketsOffset = controlOffset + CONTROL_LENGTH
 *  | buckets: n * 8 B     |  n = nextPow2(2 * capacity); each the link to the first record of a chain
 *  +----------------------+  recordsOffset = bucketsOffset + n * 8
 *  | records              |  capacity * recordLength
 *  +----------------------+
 *
 *  record:
 *   0        8        16       24       32       40       48
 *  +--------+--------+--------+--------+--------+--------+------------------ ... -+
 *  |  key0  |  key1  |  key2  | state  |  next  |  pins  |  payload (owner's)     |
 *  +--------+--------+--------+--------+--------+--------+------------------ ... -+
 *
 *  state = generation:32 | phase (FREE 0, RESERVED 1, LIVE 2, DEAD 3)
 *  link  = generation:32 | record + 1 : 32   (0 is the end of a chain)
 *  handle (returned to callers) = generation:32 | record:32, or NOT_FOUND
 * </pre>
 *
 * <h2>Generations</h2>
 * A record's generation is bumped exactly once per occupancy, when it is removed, so a (record,
 * generation) pair, the <em>handle</em>, names one occupant for the life of the table. Readers validate
 * what they read against it, seqlock style: read the data, then {@link #isCurrent(long)} (an acquire fence,
 * then the state word). If the state still names the same generation, no removal began before the
 * data was read, and data is only reset and reused after a removal began: what was read belonged to
 * that occupant. Writers {@link #pin(long)} the record instead, which removal waits out.
 *
 * <h2>Insertion</h2>
 * Records hang off a bucket in a singly linked chain; new ones are pushed at the head. An inserter
 * walks the chain from the head link it read; if the key is absent it reserves a record (free list,
 * else bump counter), writes the key and the head link into it with plain stores and CASes the bucket
 * from that head to the new record. The CAS releases the key and link to every reader that acquires
 * the bucket. Since records are added only at the head, a successful CAS proves that no record of the
 * key was added since the walk: two threads inserting one key end with one record. The head cannot
 * come back to a value it had unless its record is the same occupant (generations only grow), so the
 * CAS needs no further tag. Right after the CAS the record's phase goes RESERVED to LIVE (by the
 * inserter, or by any later lookup that meets it first, so a descheduled inserter cannot hide it);
 * the winner counts it in {@link #size()}. Enumeration visits LIVE records.
 *
 * <h2>Removal</h2>
 * Removals are serialised by a remover word in the control record (a removal may wait for another;
 * lookups and inserts never wait for one). A removal CASes the state from LIVE or RESERVED of its
 * generation to DEAD of the next one, then unlinks the record (a CAS on the link that names it: the
 * bucket, which inserters also CAS, or a predecessor's next word, which only the remover writes), then
 * waits until no writer holds a pin on it, hands it to the owner to reset its payload, and pushes it on
 * the free list (a Treiber stack whose head carries a 32-bit tag against ABA). A walker that meets a
 * DEAD record whose generation is one past its link's skips it through its next word, which is still
 * the removed occupant's (records are reused only after they are unlinked); a walker that meets a
 * record of any other generation restarts from the bucket. Walks therefore never see a reused record
 * as part of their chain, and restarts happen only when a removal has made progress: lock-free.
 *
 * <h2>Pins</h2>
 * A writer calls {@link #pin(long)}: a getAndAdd on the record's pin count, then a volatile read of its
 * state. A removal does the opposite: a CAS on the state, then volatile reads of the pin count. Both
 * are sequentially consistent, so either the writer sees the removal (and unpins without writing) or
 * the removal sees the pin (and waits for {@link #unpin(long)}). A writer never writes a record's
 * payload after it was reset for another occupant; a writer holding a stale handle may only add and
 * take back its pin (or take and release a claim) on the reused record, a net change of nothing.
 *
 * <h2>Claims</h2>
 * A table with a claim word ({@link #RecordTable(AtomicBuffer, int, int, int, int, int)}) offers
 * {@link RecordClaims#claimOrPin}: a CAS of the claim word from 0 to 1, then a pin's state read. The only
 * claimant holds the record as a pin does, so the owner may keep words only claimants write (plain loads,
 * release stores); a writer finding the record claimed never waits: it pins it and writes on the owner's
 * lock-free path. A release store ends the claim ({@link RecordClaims#release}); removals wait for it.
 *
 * <p>With at least twice as many buckets as records, chains stay short (0.5 records per bucket at
 * capacity, on average). Generations wrap after 2^32 removals of one record: a reader stalled across
 * that many reuses of the record it is reading could be fooled, which this class accepts.
 */
public final class RecordTable
{
    /** Offset of the first key word in a record. */
    public static final int KEY0_OFFSET = 0;
    /** Offset of the second key word in a record. */
    public static final int KEY1_OFFSET = KEY0_OFFSET + Long.BYTES;
    /** Offset of the third key word in a record. */
    public static final int KEY2_OFFSET = KEY1_OFFSET + Long.BYTES;
    /** Offset of the state word (generation and phase) in a record. */
    public static final int STATE_OFFSET = KEY2_OFFSET + Long.BYTES;
    /** Offset of the link to the next record of the chain. */
    public static final int NEXT_OFFSET = STATE_OFFSET + Long.BYTES;
    /** Offset of the count of writers pinning the record. */
    public static final int PINS_OFFSET = NEXT_OFFSET + Long.BYTES;
    /** Offset of the owner's payload in a record. */
    public static final int PAYLOAD_OFFSET = PINS_OFFSET + Long.BYTES;

    /** Phase: on the free list, or never used. */
    public static final int PHASE_FREE = 0;
    /** Phase: reserved by an inserter; linked or about to be. */
    public static final int PHASE_RESERVED = 1;
    /** Phase: published and counted in {@link #size()}. */
    public static final int PHASE_LIVE = 2;
    /** Phase: removed, being unlinked or drained, not yet free. */
    public static final int PHASE_DEAD = 3;
    static final long PHASE_MASK = 3;

    /** Offset of the bump allocator in the control record. */
    public static final int NEXT_RECORD_OFFSET = 0;
    /** Offset of the free-list head (tag:32 | record+1:32) in the control record. */
    public static final int FREE_HEAD_OFFSET = NEXT_RECORD_OFFSET + Long.BYTES;
    /** Offset of the count of LIVE records in the control record. */
    public static final int SIZE_OFFSET = FREE_HEAD_OFFSET + Long.BYTES;
    /** Offset of the count of refused inserts (table full) in the control record. */
    public static final int OVERFLOW_OFFSET = SIZE_OFFSET + Long.BYTES;
    /** Offset of the remover word: 0 when no removal runs, else 1. */
    public static final int REMOVER_OFFSET = OVERFLOW_OFFSET + Long.BYTES;
    /** Offset of the count of removed records in the control record. */
    public static final int REMOVED_OFFSET = REMOVER_OFFSET + Long.BYTES;
    /** Bytes of the control record: two cache lines. */
    public static final int CONTROL_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;

    /** Attempts to reserve a record while racing inserters hold the last free ones. */
    public static final int MAX_RESERVE_ATTEMPTS = 256;

    /**
     * Largest value a count of this library (overflows, removals, samples, rejections) can reach: 2^62
     * events, 146 years at one per nanosecond. A restore refuses a larger one: it is corrupt, and
     * would wrap below 0 when next incremented.
     */
    public static final long MAX_COUNT = 1L << 62;

    /** Returned when a key is not found or cannot be inserted. */
    public static final long NOT_FOUND = -1;


    static final long LOW_MASK = 0xFFFF_FFFFL;

    final AtomicBuffer buffer;
    final int capacity;
    final int recordLength;
    final int bucketMask;
    final int controlOffset;
    final int bucketsOffset;
    private final int recordsOffset;
    private final int claimOffset;
    private final int pinOffset;
    // The hot paths address buckets and records from these, fixed at construction, instead of re-reading the
    // buffer's fields after every fence. The private view keeps a ByteBuffer-backed region reachable for the
    // table's life (memory wrapped from a raw address stays its owner's to keep); the buffer must not be
    // re-wrapped while the table is in use.
    private final UnsafeBuffer memory;
    private final Object base;
    private final long bucketsAddress;
    private final long recordsAddress;

    /**
     * Wrap a table region that is zeroed or holds a table of the same shape. Any thread; the table is
     * then shared by handing it over (a safe publication), all its operations being thread-safe.
     *
     * @param buffer        a direct or mapped buffer, 8-byte aligned; a buffer over a {@code byte[]}, whose
     *                      atomic 8-byte access is not guaranteed aligned, is refused.
     * @param controlOffset start of the region, 8-byte aligned.
     * @param capacity      number of records, at least 1.
     * @param recordLength  bytes per record, a multiple of 8 and at least {@link #PAYLOAD_OFFSET}.
     * @throws IllegalArgumentException when the region does not fit the buffer, the shape is invalid or the
     *                                  buffer is over a {@code byte[]}.
     * @throws IllegalStateException    when the buffer is not 8-byte aligned.
     */
    public RecordTable(final AtomicBuffer buffer, final int controlOffset, final int capacity, final int recordLength)
    {
        this(buffer, controlOffset, capacity, recordLength, 0, PINS_OFFSET);
    }

    /**
     * As {@link #RecordTable(AtomicBuffer, int, int, int)}, with a claim word in every record (see the class
     * Javadoc's Claims).
     *
     * @param buffer        as above.
     * @param controlOffset as above.
     * @param capacity      as above.
     * @param recordLength  as above.
     * @param claimOffset   of the claim word in a record, 8-byte aligned: {@link #PINS_OFFSET} or in the
     *                      payload; 0 for none.
     * @param pinOffset     of the pin count in a record: {@link #PINS_OFFSET}, or, when the claim word takes
     *                      that word (so that a claimant touches only the record's first line), a word of the
     *                      payload.
     * @throws IllegalArgumentException as above, or when the claim or pin word is misplaced.
     */
    public RecordTable(
        final AtomicBuffer buffer,
        final int controlOffset,
        final int capacity,
        final int recordLength,
        final int claimOffset,
        final int pinOffset)
    {
        buffer.verifyAlignment();
        if (buffer.byteArray() != null)
        {
            // Without agrona.strict.alignment.checks verifyAlignment only warns about a byte[]; the direct
            // addressing below assumes off-heap memory, as every tracker buffer is.
            throw new IllegalArgumentException("a record table needs an off-heap buffer, not a byte[]");
        }
        if (capacity < 1 || recordLength < PAYLOAD_OFFSET || (recordLength & 7) != 0 || (controlOffset & 7) != 0 ||
            !isRecordWord(claimOffset, recordLength) && claimOffset != 0 || !isRecordWord(pinOffset, recordLength) ||
            claimOffset == pinOffset)
        {
            throw new IllegalArgumentException("invalid table shape: controlOffset=" + controlOffset + " capacity=" +
                capacity + " recordLength=" + recordLength + " claimOffset=" + claimOffset + " pinOffset=" + pinOffset);
        }
        if (controlOffset < 0 || controlOffset + regionLength(capacity, recordLength) > buffer.capacity())
        {
            throw new IllegalArgumentException("table region of " + regionLength(capacity, recordLength) +
                " bytes at " + controlOffset + " does not fit a buffer of " + buffer.capacity() + " bytes");
        }
        this.buffer = buffer;
        this.capacity = capacity;
        this.recordLength = recordLength;
        this.bucketMask = slotCount(capacity) - 1;
        this.controlOffset = controlOffset;
        this.bucketsOffset = controlOffset + CONTROL_LENGTH;
        this.recordsOffset = bucketsOffset + (bucketMask + 1) * Long.BYTES;
        this.claimOffset = claimOffset;
        this.pinOffset = pinOffset;
        this.memory = new UnsafeBuffer(buffer, 0, buffer.capacity());
        this.base = memory.byteArray();
        this.bucketsAddress = memory.addressOffset() + bucketsOffset;
        this.recordsAddress = memory.addressOffset() + recordsOffset;
    }

    /** The pins word, or an aligned payload word. */
    private static boolean isRecordWord(final int offset, final int recordLength)
    {
        return (offset == PINS_OFFSET || offset >= PAYLOAD_OFFSET) && offset + Long.BYTES <= recordLength && (offset & 7) == 0;
    }

    /**
     * @param capacity number of records.
     * @return buckets for that capacity: the next power of two at or above {@code 2 * capacity}. Pure;
     * any thread.
     */
    public static int slotCount(final int capacity)
    {
        return BitUtil.findNextPositivePowerOfTwo(Math.max(2, 2 * capacity));
    }

    /**
     * @param capacity     number of records.
     * @param recordLength bytes per record.
     * @return bytes of the whole region. Pure; any thread.
     */
    public static long regionLength(final int capacity, final int recordLength)
    {
        return CONTROL_LENGTH + (long)slotCount(capacity) * Long.BYTES + (long)capacity * recordLength;
    }

    /**
     * @param handle a handle from {@link #find} or {@link #findOrInsert}, not {@link #NOT_FOUND}.
     * @return its record index. Pure; any thread.
     */
    public static int record(final long handle)
    {
        return (int)handle;
    }

    /**
     * @param handle a handle.
     * @return its generation. Pure; any thread.
     */
    public static int generation(final long handle)
    {
        return (int)(handle >>> 32);
    }

    /**
     * @return number of records the table can hold. Immutable; any thread.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @param record a record index.
     * @return offset of the record in the buffer. Pure; any thread.
     */
    public int recordOffset(final int record)
    {
        return recordsOffset + record * recordLength;
    }

    /**
     * Find the occupant of a key; thread-safe, lock-free, allocation-free. A record being removed is not
     * found.
     *
     * @param key0 first key word.
     * @param key1 second key word (0 when unused).
     * @param key2 third key word (0 when unused).
     * @return the handle of the record, or {@link #NOT_FOUND}.
     */
    public long find(final long key0, final long key1, final long key2)
    {
        final int bucket = bucket(key0, key1, key2);
        // acquire: keys and links of the chain
        final long head = RecordMemory.getLongVolatile(base, bucketsAddress + ((long)bucket << 3));
        if (head == 0)
        {
            return NOT_FOUND;
        }
        // Fast path, the usual case at half load: the key is the chain's first record, addressed directly
        // after one range check (RecordMemory).
        final long address = recordAddress((int)(head & LOW_MASK) - 1);
        if (keyEquals(base, address, key0, key1, key2))
        {
            VarHandle.acquireFence(); // the key reads complete before the state is checked
            // volatile: a removal begun before the key reads shows here
            final long state = RecordMemory.getLongVolatile(base, address + STATE_OFFSET);
            if (isPublishedState(state, head))
            {
                return handleOf(head);
            }
        }
        return findSlow(bucketsOffset + bucket * Long.BYTES, head, key0, key1, key2);
    }

    /**
     * Read one payload word of a key's occupant, validated as a lookup and a read through its handle are, but
     * with one state check for both: the key words and the payload word are read, then the state, which
     * still names the head link's generation only if no removal began before any of those reads.
     * Thread-safe, lock-free, allocation-free.
     *
     * @param key0       first key word.
     * @param key1       second key word (0 when unused).
     * @param key2       third key word (0 when unused).
     * @param wordOffset of the word in a record, 8-byte aligned, inside the record.
     * @return the word, or 0 when the key has no occupant or it was removed while read.
     */
    public long findWord(final long key0, final long key1, final long key2, final int wordOffset)
    {
        if (wordOffset < PAYLOAD_OFFSET || wordOffset > recordLength - Long.BYTES) // keeps the read in the record
        {
            throw new IndexOutOfBoundsException("word offset " + wordOffset + " outside a record of " + recordLength);
        }
        final int bucket = bucket(key0, key1, key2);
        // acquire: keys and links of the chain
        final long head = RecordMemory.getLongVolatile(base, bucketsAddress + ((long)bucket << 3));
        if (head == 0)
        {
            return 0;
        }
        final long address = recordAddress((int)(head & LOW_MASK) - 1);
        if (keyEquals(base, address, key0, key1, key2))
        {
            final long word = RecordMemory.getLongVolatile(base, address + wordOffset);
            // the head link's generation, checked after every read above (isCurrent's acquire fence)
            if (isCurrent(base, address, head))
            {
                return word;
            }
        }
        final long handle = findSlow(bucketsOffset + bucket * Long.BYTES, head, key0, key1, key2);
        if (handle == NOT_FOUND)
        {
            return 0;
        }
        final long other = recordAddress(record(handle));
        final long word = RecordMemory.getLongVolatile(base, other + wordOffset);
        return isCurrent(base, other, handle) ? word : 0;
    }

    /** The general walk, for a key that is not at the head of its chain or a head being removed. */
    private long findSlow(final int bucketOffset, final long head, final long key0, final long key1, final long key2)
    {
        long first = head;
        while (true)
        {
            final long found = walk(first, key0, key1, key2);
            if (found != RESTART)
            {
                return found == NOT_FOUND ? NOT_FOUND : handleOf(found);
            }
            first = buffer.getLongVolatile(bucketOffset); // acquire: a fresh head, as in find
        }
    }

    /**
     * Find the occupant of a key, inserting it if absent; thread-safe, lock-free, allocation-free. When the
     * table is full the key is not inserted and the overflow counter is incremented.
     *
     * <p>An inserter that meets a table whose last free records are reserved by racing inserters (not
     * yet published, so the table is not full) waits for them for at most
     * {@link #MAX_RESERVE_ATTEMPTS} short spins, yielding, because one of them may be inserting this
     * very key. Only if they stay unpublished that long (a descheduled thread) is the insert refused
     * and counted as an overflow although the table had not quite filled. The same holds for records a
     * removal is still draining (waiting for writers to unpin) when the table is otherwise full.
     *
     * @param key0 first key word.
     * @param key1 second key word (0 when unused).
     * @param key2 third key word (0 when unused).
     * @return the handle of the record, or {@link #NOT_FOUND} when the key is absent and the table is full.
     */
    public long findOrInsert(final long key0, final long key1, final long key2)
    {
        final long handle = liveHead(key0, key1, key2);
        return handle != NOT_FOUND ? handle : findOrInsertSlow(bucketOffset(key0, key1, key2), key0, key1, key2);
    }

    /**
     * The fast path of {@link #findOrInsert}, small enough for the JIT to inline into a hot caller, which a
     * {@code findOrInsert} compiled with its insert path is not: the key's occupant when it heads its chain
     * and is LIVE, the usual case at half load. Thread-safe, lock-free, allocation-free.
     *
     * @param key0 first key word.
     * @param key1 second key word (0 when unused).
     * @param key2 third key word (0 when unused).
     * @return the handle, or {@link #NOT_FOUND}, which says nothing about the key: call {@link #findOrInsert}.
     */
    public long liveHead(final long key0, final long key1, final long key2)
    {
        // acquire: keys and links of the chain
        final long head = RecordMemory.getLongVolatile(base, bucketsAddress + ((long)bucket(key0, key1, key2) << 3));
        if (head != 0)
        {
            final long address = recordAddress((int)(head & LOW_MASK) - 1);
            if (keyEquals(base, address, key0, key1, key2))
            {
                VarHandle.acquireFence(); // the key reads complete before the state is checked
                // volatile: a removal begun before the key reads shows here
                if (RecordMemory.getLongVolatile(base, address + STATE_OFFSET) == ((head & ~LOW_MASK) | PHASE_LIVE))
                {
                    return handleOf(head);
                }
            }
        }
        return NOT_FOUND;
    }

    private long findOrInsertSlow(final int bucketOffset, final long key0, final long key1, final long key2)
    {
        int reserved = -1;
        long reservedState = 0;
        while (true)
        {
            final long head = buffer.getLongVolatile(bucketOffset); // acquire: keys and links of the chain
            final long found = walk(head, key0, key1, key2);
            if (found == RESTART)
            {
                continue;
            }
            if (found != NOT_FOUND)
            {
                if (reserved >= 0)
                {
                    unreserve(reserved, reservedState);
                }
                final long handle = handleOf(found);
                markLive(record(handle), generation(handle));
                return handle;
            }
            if (reserved < 0)
            {
                reserved = reserveOrWait(bucketOffset, head);
                if (reserved < 0)
                {
                    if (buffer.getLongVolatile(bucketOffset) != head) // acquire: a newer head and its records
                    {
                        continue; // the chain changed: the key may be in it now, or a record freed
                    }
                    buffer.getAndAddLong(controlOffset + OVERFLOW_OFFSET, 1); // atomic: inserters race on the count
                    return NOT_FOUND;
                }
                final int recordOffset = recordOffset(reserved);
                // the generation released before the free
                reservedState = (buffer.getLongVolatile(recordOffset + STATE_OFFSET) & ~PHASE_MASK) | PHASE_RESERVED;
                // release: after the pop; the fence orders the rest
                buffer.putLongRelease(recordOffset + STATE_OFFSET, reservedState);
                // A walker that reads the new key or next word below must not then read the DEAD state of
                // the previous occupant and follow this record's new next word as if it were the old one.
                VarHandle.releaseFence();
                buffer.putLong(recordOffset + KEY0_OFFSET, key0);
                buffer.putLong(recordOffset + KEY1_OFFSET, key1);
                buffer.putLong(recordOffset + KEY2_OFFSET, key2);
            }
            buffer.putLong(recordOffset(reserved) + NEXT_OFFSET, head);
            final long link = (reservedState & ~LOW_MASK) | (reserved + 1);
            // The CAS releases the key, link and state stores above to every reader acquiring the bucket.
            if (buffer.compareAndSetLong(bucketOffset, head, link))
            {
                markLive(reserved, generation(reservedState));
                return handleOf(link);
            }
        }
    }

    private static final long RESTART = -2;

    /**
     * Walk a chain from {@code link} for a key; returns the link of a RESERVED or LIVE record of the
     * key, {@link #NOT_FOUND}, or {@link #RESTART} when a record on the way was reused.
     */
    private long walk(final long firstLink, final long key0, final long key1, final long key2)
    {
        long link = firstLink;
        for (int steps = 0; link != 0; steps++)
        {
            if (steps > capacity)
            {
                return RESTART; // only a chain changing under the walk can look this long
            }
            final long address = recordAddress((int)(link & LOW_MASK) - 1);
            final boolean keyMatches = keyEquals(base, address, key0, key1, key2);
            final long next = RecordMemory.getLong(base, address + NEXT_OFFSET);
            VarHandle.acquireFence(); // the key and link reads above complete before the state is checked
            final long state = RecordMemory.getLongVolatile(base, address + STATE_OFFSET);
            final long linkGeneration = link >>> 32;
            if ((state >>> 32) == linkGeneration && isPublishedPhase(state))
            {
                if (keyMatches)
                {
                    return link;
                }
            }
            else if (state != (((linkGeneration + 1) << 32) | PHASE_DEAD))
            {
                return RESTART; // reused: its next word is no longer this chain's
            }
            link = next;
        }
        return NOT_FOUND;
    }

    private static long handleOf(final long link)
    {
        return (link & ~LOW_MASK) | ((link & LOW_MASK) - 1);
    }

    /**
     * Reserve a record; when none is free but some are reserved and unpublished (size below capacity),
     * wait a little for them, returning early once the bucket changes, since that may be this key.
     */
    private int reserveOrWait(final int bucketOffset, final long head)
    {
        for (int attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++)
        {
            final int record = reserve();
            if (record >= 0)
            {
                return record;
            }
            // volatile: a table that filled or a chain that changed ends the wait at once
            if (buffer.getLongVolatile(controlOffset + SIZE_OFFSET) >= capacity ||
                buffer.getLongVolatile(bucketOffset) != head)
            {
                return -1;
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
        return -1;
    }

    /**
     * Publish a record to enumeration. The inserter does it right after its bucket CAS, and every later
     * lookup that inserts-or-finds the record helps. Exactly one CAS wins and counts the record; a
     * removal that overtook it makes every such CAS fail.
     */
    private void markLive(final int record, final long generation)
    {
        final int stateOffset = recordOffset(record) + STATE_OFFSET;
        final long reservedState = (generation << 32) | PHASE_RESERVED;
        // Acquire pre-check spares a CAS on a LIVE record; the CAS lets one helper win, racing a removal's.
        if (buffer.getLongAcquire(stateOffset) == reservedState &&
            buffer.compareAndSetLong(stateOffset, reservedState, (generation << 32) | PHASE_LIVE))
        {
            buffer.getAndAddLong(controlOffset + SIZE_OFFSET, 1); // atomic: removals decrement it concurrently
        }
    }

    /**
     * @param record a record index.
     * @return {@code true} when the record is LIVE (acquire read of its state). Thread-safe, lock-free;
     * the answer may be stale by the time it is used.
     */
    public boolean isLive(final int record)
    {
        // acquire: the key, released by the bucket CAS
        return (buffer.getLongAcquire(recordOffset(record) + STATE_OFFSET) & PHASE_MASK) == PHASE_LIVE;
    }

    /**
     * Handle of a record if it is LIVE, for enumeration: read the record's data after this and check
     * {@link #isCurrent(long)} before trusting it. Thread-safe, lock-free.
     *
     * @param record a record index below {@link #highWaterMark()}.
     * @return its handle, or {@link #NOT_FOUND} when it is not LIVE.
     */
    public long liveHandle(final int record)
    {
        // volatile (at least the acquire needed): its key, released by the bucket CAS
        final long state = RecordMemory.getLongVolatile(base, recordAddress(record) + STATE_OFFSET);
        return (state & PHASE_MASK) == PHASE_LIVE ? (state & ~LOW_MASK) | record : NOT_FOUND;
    }

    /**
     * Whether the occupant named by {@code handle} is still in place: an acquire fence, so that every
     * read of its data before this call completes first, then the state word. Thread-safe, lock-free.
     *
     * @param handle a handle, not {@link #NOT_FOUND}.
     * @return {@code true} when data read before the call belonged to that occupant.
     */
    public boolean isCurrent(final long handle)
    {
        return isCurrent(base, recordAddress(record(handle)), handle);
    }

    /**
     * {@link #isCurrent(long)} for a record addressed directly: same fence, same state read. Thread-safe,
     * lock-free.
     *
     * @param base          {@link RecordMemory#base} of the table's buffer.
     * @param recordAddress {@link #recordAddress(int)} of the handle's record.
     * @param handle        a handle, not {@link #NOT_FOUND}.
     * @return {@code true} when data read before the call belonged to that occupant.
     */
    public static boolean isCurrent(final Object base, final long recordAddress, final long handle)
    {
        VarHandle.acquireFence(); // the caller's data reads complete before the state is read
        final long state = RecordMemory.getLongVolatile(base, recordAddress + STATE_OFFSET);
        return isPublishedState(state, handle);
    }

    /**
     * Whether {@code state} names the generation of {@code link} (a handle or a bucket link, generation in
     * its high half) in a published phase, RESERVED or LIVE: the same answer as comparing the generations
     * and then {@link #isPublishedPhase}, for every pair of words, in a subtraction, a mask and one unsigned
     * compare, for the read paths that check it on every call. The difference of the two words keeps only
     * the phase when the generations match, and a non-zero high half when they do not.
     *
     * @param state a record's state word.
     * @param link  a handle or link naming the occupant expected.
     * @return {@code true} when the occupant is in place and published.
     */
    static boolean isPublishedState(final long state, final long link)
    {
        final long phaseIfCurrent = (state - (link & ~LOW_MASK)) & (~LOW_MASK | PHASE_MASK);
        return Long.compareUnsigned(phaseIfCurrent - PHASE_RESERVED, PHASE_LIVE) < 0;
    }

    static boolean isPublishedPhase(final long state)
    {
        final long phase = state & PHASE_MASK;
        return phase == PHASE_RESERVED || phase == PHASE_LIVE;
    }

    /**
     * Pin the occupant named by {@code handle} before writing its payload: a removal waits until it is
     * unpinned. Thread-safe, lock-free, allocation-free.
     *
     * @param handle a handle from {@link #find} or {@link #findOrInsert}.
     * @return {@code true} when pinned; {@code false} when the occupant was removed meanwhile (nothing held).
     */
    public boolean pin(final long handle)
    {
        final long address = recordAddress(record(handle));
        RecordMemory.getAndAddLong(base, address + pinOffset, 1); // full fence: a removal after this sees the pin
        // volatile: seq. consistent with the removal's CAS
        final long state = RecordMemory.getLongVolatile(base, address + STATE_OFFSET);
        if (isPublishedState(state, handle))
        {
            return true;
        }
        RecordMemory.getAndAddLong(base, address + pinOffset, -1); // nothing was written: just drop the pin
        return false;
    }

    /**
     * Release a pin taken by {@link #pin(long)} that returned {@code true}; call it in a {@code finally}:
     * a pin never released makes every later removal of that record wait forever. Thread-safe, from any
     * thread (normally the one that pinned), wait-free.
     *
     * @param handle the pinned handle.
     */
    public void unpin(final long handle)
    {
        // release: the writes are done; through the fixed address, as the pin was taken
        RecordMemory.getAndAddLong(base, recordAddress(record(handle)) + pinOffset, -1);
    }

    /**
     * Remove the occupant of a key, waiting for writers that pinned it, and make its record reusable.
     * Removals are serialised with each other; lookups, inserts and writers are never blocked by one.
     * Thread-safe, blocking (waits for other removals and for pins). Allocation-free given a
     * non-capturing or reused {@code reclaim}.
     *
     * @param key0    first key word.
     * @param key1    second key word.
     * @param key2    third key word.
     * @param reclaim told the record index after its last writer left and before it is reused, to reset
     *                the owner's payload.
     * @return {@code true} when a record was removed.
     */
    public boolean remove(final long key0, final long key1, final long key2, final IntConsumer reclaim)
    {
        acquireRemover();
        try
        {
            final long handle = find(key0, key1, key2);
            return handle != NOT_FOUND && removeLocked(handle, reclaim);
        }
        finally
        {
            releaseRemover();
        }
    }

    /**
     * Remove the occupant named by {@code handle} if it is still in place; see
     * {@link #remove(long, long, long, IntConsumer)}. Thread-safe, blocking as that method is.
     *
     * @param handle  from a lookup or {@link #liveHandle(int)}.
     * @param reclaim told the record index before it is reused.
     * @return {@code true} when this call removed it.
     */
    public boolean remove(final long handle, final IntConsumer reclaim)
    {
        acquireRemover();
        try
        {
            return removeLocked(handle, reclaim);
        }
        finally
        {
            releaseRemover();
        }
    }

    private boolean removeLocked(final long handle, final IntConsumer reclaim)
    {
        final int record = record(handle);
        final int recordOffset = recordOffset(record);
        final int stateOffset = recordOffset + STATE_OFFSET;
        final long generation = handle >>> 32;
        final long dead = ((generation + 1) << 32) | PHASE_DEAD;
        long state = buffer.getLongVolatile(stateOffset); // latest state; the CAS below re-checks it
        while (true)
        {
            final long phase = state & PHASE_MASK;
            if ((state >>> 32) != generation || (phase != PHASE_RESERVED && phase != PHASE_LIVE))
            {
                return false; // another occupant, or not published
            }
            if (phase == PHASE_LIVE)
            {
                // Only a removal changes a LIVE state, and removals are serialised: the CAS below cannot
                // fail. Uncounting first lets an inserter that meets a full table while this record drains
                // wait for it (size < capacity) rather than count an overflow at once.
                buffer.getAndAddLong(controlOffset + SIZE_OFFSET, -1); // atomic: markLive increments race
            }
            // Full fence: a writer pinning after this sees DEAD, one pinned before is seen by the drain below.
            final long witness = buffer.compareAndExchangeLong(stateOffset, state, dead);
            if (witness == state)
            {
                break;
            }
            state = witness; // a helper marked it LIVE meanwhile: retry from what it wrote
        }
        unlink(record, generation);
        // volatile: seq. consistent with pin()'s getAndAdd and RecordClaims' CAS, so no pin or claim taken
        // before the state CAS is missed
        for (int spins = 0; buffer.getLongVolatile(recordOffset + pinOffset) != 0 ||
            (claimOffset != 0 && buffer.getLongVolatile(recordOffset + claimOffset) != 0); spins++)
        {
            if ((spins & 63) == 63)
            {
                Thread.yield(); // a pinned writer may be descheduled
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        reclaim.accept(record);
        // The next word stays: a walker still on this record skips it through that word until it
        // reads the FREE below, and the record's next occupant rewrites it only after its own state.
        // release: the reset payload precedes FREE of the next generation
        buffer.putLongRelease(stateOffset, (generation + 1) << 32);
        buffer.getAndAddLong(controlOffset + REMOVED_OFFSET, 1); // atomic: monitoring reads it volatile
        free(record);
        return true;
    }

    /**
     * Unlink a DEAD record from its chain. Only the remover writes next words of linked records; the
     * bucket is also CASed by inserters, so a failed CAS there means walking again.
     */
    private void unlink(final int record, final long generation)
    {
        final int recordOffset = recordOffset(record);
        final int bucketOffset = bucketOffset(
            buffer.getLong(recordOffset + KEY0_OFFSET),
            buffer.getLong(recordOffset + KEY1_OFFSET),
            buffer.getLong(recordOffset + KEY2_OFFSET));
        final long target = (generation << 32) | (record + 1);
        final long successor = buffer.getLongVolatile(recordOffset + NEXT_OFFSET); // latest: only removers rewrite it
        while (true)
        {
            int predecessorOffset = bucketOffset;
            // acquire: links CASed by inserters and earlier removals, with the records they name
            long link = buffer.getLongVolatile(bucketOffset);
            while (link != 0 && link != target)
            {
                predecessorOffset = recordOffset((int)(link & LOW_MASK) - 1) + NEXT_OFFSET;
                link = buffer.getLongVolatile(predecessorOffset);
            }
            if (link == 0)
            {
                throw new IllegalStateException("record " + record + " is not in its chain: corrupt table");
            }
            // fails if an inserter moved the bucket: walk again
            if (buffer.compareAndSetLong(predecessorOffset, target, successor))
            {
                return;
            }
        }
    }

    private void acquireRemover()
    {
        final int removerOffset = controlOffset + REMOVER_OFFSET;
        // acquire: the last removal's stores
        for (int spins = 0; !buffer.compareAndSetLong(removerOffset, 0, 1); spins++)
        {
            if ((spins & 63) == 63)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private void releaseRemover()
    {
        buffer.putLongRelease(controlOffset + REMOVER_OFFSET, 0); // release: the removal's stores first
    }

    /**
     * @return one past the highest record index ever reserved: enumeration bound. Thread-safe; may grow
     * right after the read.
     */
    public int highWaterMark()
    {
        return (int)Math.min(buffer.getLongVolatile(controlOffset + NEXT_RECORD_OFFSET), capacity); // latest bound
    }

    /**
     * Find or insert a key and pin its record for writing; a pin refused because an eviction overtook the
     * lookup means the key is gone, so look it up again (each retry follows a finished eviction).
     * Thread-safe, lock-free.
     *
     * @param key0 first key word.
     * @param key1 second key word.
     * @param key2 third key word.
     * @return the pinned handle, or {@link #NOT_FOUND} when the table is full; unpin it when done.
     */
    public long pinOrInsert(final long key0, final long key1, final long key2)
    {
        while (true)
        {
            final long handle = findOrInsert(key0, key1, key2);
            if (handle == NOT_FOUND || pin(handle))
            {
                return handle;
            }
        }
    }

    /** @return the offset of the claim word in a record, 0 when the table has none. Pure. */
    public int claimOffset()
    {
        return claimOffset;
    }

    /** @return the offset of the pin count in a record. Pure. */
    public int pinOffset()
    {
        return pinOffset;
    }

    /**
     * The bump allocator's word as stored, unclamped: for a reader that checks it against the capacity.
     * Thread-safe; a moment's value.
     *
     * @return records handed out by the bump allocator, {@code 0..capacity} when written by a writer.
     */
    public long nextRecordWord()
    {
        return buffer.getLongVolatile(controlOffset + NEXT_RECORD_OFFSET); // volatile: the latest bump's CAS
    }

    /**
     * @return number of LIVE records. Thread-safe; a moment's value.
     */
    public long size()
    {
        return buffer.getLongVolatile(controlOffset + SIZE_OFFSET);
    }

    /**
     * @return number of inserts refused because the table was full. Thread-safe; a moment's value.
     */
    public long overflowCount()
    {
        return buffer.getLongVolatile(controlOffset + OVERFLOW_OFFSET);
    }

    /**
     * @return number of records removed since the table was created. Thread-safe; a moment's value.
     */
    public long removedCount()
    {
        return buffer.getLongVolatile(controlOffset + REMOVED_OFFSET);
    }

    /**
     * @return records on the free list or never used: {@code capacity} minus records RESERVED, LIVE or
     * DEAD. Walks the free list; for tests and diagnostics on a quiescent table: any thread, but not
     * exact while inserts or removals run.
     */
    public int freeCount()
    {
        int free = capacity - highWaterMark();
        // volatile reads: diagnostic only, exact on a quiescent table
        long link = buffer.getLongVolatile(controlOffset + FREE_HEAD_OFFSET) & LOW_MASK;
        for (int steps = 0; link != 0 && steps <= capacity; steps++)
        {
            free++;
            link = buffer.getLongVolatile(recordOffset((int)link - 1) + KEY0_OFFSET) & LOW_MASK;
        }
        return free;
    }

    /**
     * @param record a record index.
     * @return its first key word; check {@link #isCurrent(long)} afterwards when racing removals.
     * Thread-safe, lock-free (a plain read: validate it as above).
     */
    public long key0(final int record)
    {
        return RecordMemory.getLong(base, recordAddress(record) + KEY0_OFFSET);
    }

    /**
     * @param record a record index.
     * @return its second key word. Thread-safe, lock-free; validate as for {@link #key0(int)}.
     */
    public long key1(final int record)
    {
        return buffer.getLong(recordOffset(record) + KEY1_OFFSET);
    }

    /**
     * @param record a record index.
     * @return its third key word. Thread-safe, lock-free; validate as for {@link #key0(int)}.
     */
    public long key2(final int record)
    {
        return buffer.getLong(recordOffset(record) + KEY2_OFFSET);
    }

    int bucketOffset(final long key0, final long key1, final long key2)
    {
        return bucketsOffset + bucket(key0, key1, key2) * Long.BYTES;
    }

    private int bucket(final long key0, final long key1, final long key2)
    {
        return (int)hash(key0, key1, key2) & bucketMask;
    }

    /**
     * Address of a record after one range check of the whole record, for direct access to its words
     * with {@link RecordMemory} and {@link #isCurrent(Object, long, long)}. Any thread.
     *
     * @param record a record index.
     * @return its address, relative to {@link RecordMemory#base} of the table's buffer.
     * @throws IndexOutOfBoundsException when the record is not inside the buffer.
     */
    public long recordAddress(final int record)
    {
        if (Integer.compareUnsigned(record, capacity) >= 0) // the one range check: every record lies in the region
        {
            throw new IndexOutOfBoundsException("record " + record + " outside a table of " + capacity);
        }
        return recordsAddress + (long)record * recordLength;
    }

    /**
     * Any thread.
     *
     * @return the object {@link #recordAddress} is relative to, for {@link RecordMemory}: {@code null} for
     * direct and mapped memory.
     */
    public Object base()
    {
        return base;
    }

    private static boolean keyEquals(
        final Object base, final long address, final long key0, final long key1, final long key2)
    {
        // Plain loads, as keyEquals(int, ...): validated by the state read after the caller's acquire fence.
        return RecordMemory.getLong(base, address + KEY0_OFFSET) == key0 &&
            RecordMemory.getLong(base, address + KEY1_OFFSET) == key1 &&
            RecordMemory.getLong(base, address + KEY2_OFFSET) == key2;
    }

    private boolean keyEquals(final int recordOffset, final long key0, final long key1, final long key2)
    {
        return buffer.getLong(recordOffset + KEY0_OFFSET) == key0 &&
            buffer.getLong(recordOffset + KEY1_OFFSET) == key1 &&
            buffer.getLong(recordOffset + KEY2_OFFSET) == key2;
    }

    private int reserve()
    {
        final int headOffset = controlOffset + FREE_HEAD_OFFSET;
        long head;
        // acquire: the link written before the push
        while ((int)((head = buffer.getLongVolatile(headOffset)) & LOW_MASK) != 0)
        {
            final int record = (int)(head & LOW_MASK) - 1;
            // The link may be torn by a racing pop that reuses the record; the tag makes that CAS fail.
            final long next = buffer.getLongVolatile(recordOffset(record) + KEY0_OFFSET) & LOW_MASK;
            if (buffer.compareAndSetLong(headOffset, head, nextTag(head) | next)) // the tag defeats ABA
            {
                return record;
            }
        }

        final int nextOffset = controlOffset + NEXT_RECORD_OFFSET;
        long next;
        while ((next = buffer.getLongVolatile(nextOffset)) < capacity) // CAS bump: one record per winner
        {
            if (buffer.compareAndSetLong(nextOffset, next, next + 1))
            {
                return (int)next;
            }
        }
        return -1;
    }

    /** Return a reserved record that lost its race unpublished: same generation, since no one saw it. */
    private void unreserve(final int record, final long reservedState)
    {
        // release: key stores precede FREE
        buffer.putLongRelease(recordOffset(record) + STATE_OFFSET, reservedState & ~PHASE_MASK);
        free(record);
    }

    void free(final int record)
    {
        final int headOffset = controlOffset + FREE_HEAD_OFFSET;
        final int linkOffset = recordOffset(record) + KEY0_OFFSET;
        while (true)
        {
            final long head = buffer.getLongVolatile(headOffset);
            buffer.putLongVolatile(linkOffset, head & LOW_MASK); // a racing pop may read it; the CAS publishes it
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
     * Spread a key over the buckets with one multiply on a site key's critical path (two on a three-word
     * key's): the second and third words spread by odd multipliers and folded into the first, high half
     * folded down, times the golden-ratio constant (Fibonacci hashing), high bits folded down again.
     *
     * @param key0 first key word.
     * @param key1 second key word.
     * @param key2 third key word.
     * @return the hash; low bits pick the bucket.
     */
    static long hash(final long key0, final long key1, final long key2)
    {
        final long key = key0 ^ key1 * 0xC2B2_AE3D_27D4_EB4FL ^ key2 * 0x1656_67B1_9E37_79F9L;
        // The high half folded down first, so that keys differing only in high bits reach the low bits too.
        final long h = (key ^ (key >>> 32)) * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 29); // 29, not 32: sequential keys then spread as evenly as by MurmurHash3
    }
}
