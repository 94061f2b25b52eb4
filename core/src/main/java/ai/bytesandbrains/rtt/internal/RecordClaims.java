package ai.bytesandbrains.rtt.internal;

/**
 * Claims on the records of a {@link RecordTable} built with a claim word: the write path that costs one
 * atomic instruction per record instead of a pin's two.
 *
 * <p>A claim is a CAS of the record's claim word from 0 to 1, then the volatile state read a pin makes. Like
 * a pin, it holds the record against removal (a removal waits for the claim word as for the pin count, and
 * both sides are sequentially consistent). Unlike a pin, it is exclusive: at most one writer holds it, so
 * the record's owner may keep words that only claimants write, with plain loads and release stores. A
 * writer that finds the record claimed never waits: it pins the record and writes on the owner's
 * lock-free path, into words claimants do not write. The claim is released with a release store, so the
 * next claimant's CAS, which reads it, sees every store the last claimant made.
 *
 * <p>Static and allocation-free; thread-safe as each method says.
 */
public final class RecordClaims
{
    /**
     * Set in a handle returned by {@link #claimOrPin} when it holds the claim; record indexes stay below
     * 2^31, so the bit is free in a handle. Strip it with {@link #handleOf(long)}.
     */
    public static final long CLAIMED = 1L << 31;

    private RecordClaims()
    {
    }

    /**
     * Claim the occupant named by {@code handle} before writing it, or pin it when another writer holds the
     * claim; never waits. A table without a claim word only pins. Thread-safe, lock-free, allocation-free.
     *
     * @param table  the table.
     * @param handle a handle from {@link RecordTable#find} or {@link RecordTable#findOrInsert}.
     * @return {@code handle | }{@link #CLAIMED} when claimed ({@link #release} it), {@code handle} when
     * pinned ({@link #release} it too), or {@link RecordTable#NOT_FOUND} when the occupant was removed
     * meanwhile (nothing held).
     */
    public static long claimOrPin(final RecordTable table, final long handle)
    {
        final int claimOffset = table.claimOffset();
        if (claimOffset != 0)
        {
            final Object base = table.base();
            final long address = table.recordAddress(RecordTable.record(handle));
            // Full fence, as a pin's add: a removal after this sees the claim, one before it is seen below.
            if (RecordMemory.compareAndExchangeLong(base, address + claimOffset, 0, 1) == 0)
            {
                // volatile: seq. consistent with the removal's CAS on the state
                final long state = RecordMemory.getLongVolatile(base, address + RecordTable.STATE_OFFSET);
                if (RecordTable.isPublishedState(state, handle))
                {
                    return handle | CLAIMED;
                }
                RecordMemory.putLongRelease(base, address + claimOffset, 0); // nothing was written
                return RecordTable.NOT_FOUND;
            }
        }
        return table.pin(handle) ? handle : RecordTable.NOT_FOUND;
    }

    /**
     * Find or insert a key, then {@link #claimOrPin} its record; a record removed meanwhile means the key
     * is gone, so it is looked up again (each retry follows a finished removal). Thread-safe, lock-free.
     *
     * @param table the table.
     * @param key0  first key word.
     * @param key1  second key word.
     * @param key2  third key word.
     * @return as {@link #claimOrPin}, or {@link RecordTable#NOT_FOUND} when the table is full.
     */
    public static long claimOrInsert(final RecordTable table, final long key0, final long key1, final long key2)
    {
        while (true)
        {
            final long handle = table.findOrInsert(key0, key1, key2);
            if (handle == RecordTable.NOT_FOUND)
            {
                return RecordTable.NOT_FOUND;
            }
            final long held = claimOrPin(table, handle);
            if (held != RecordTable.NOT_FOUND)
            {
                return held;
            }
        }
    }

    /**
     * The fast path of {@link #claimOrInsert}, small enough for the JIT to inline into a hot caller (a method
     * that also holds the insert path, compiled during a warm-up of inserts, is too big to inline): claim or
     * pin the key's occupant when it heads its chain and is LIVE ({@link RecordTable#liveHead}). Call
     * {@link #claimOrInsert} when it returns {@link RecordTable#NOT_FOUND}, which says nothing about the key.
     * Thread-safe, lock-free, allocation-free.
     *
     * @param table the table.
     * @param key0  first key word.
     * @param key1  second key word.
     * @param key2  third key word.
     * @return as {@link #claimOrPin}, or {@link RecordTable#NOT_FOUND}.
     */
    public static long claimLiveHead(final RecordTable table, final long key0, final long key1, final long key2)
    {
        final long head = table.liveHead(key0, key1, key2);
        return head == RecordTable.NOT_FOUND ? RecordTable.NOT_FOUND : claimOrPin(table, head);
    }

    /**
     * Release what {@link #claimOrPin} took: the claim with a release store (no atomic instruction), or the
     * pin. Call it in a {@code finally}, from the thread that took it. Thread-safe, wait-free.
     *
     * @param table the table.
     * @param held  a handle {@link #claimOrPin} returned, not {@link RecordTable#NOT_FOUND}.
     */
    public static void release(final RecordTable table, final long held)
    {
        if (isClaimed(held))
        {
            // release: the claimant's plain stores come before the next claimant's CAS reads them
            RecordMemory.putLongRelease(
                table.base(), table.recordAddress(RecordTable.record(handleOf(held))) + table.claimOffset(), 0);
        }
        else
        {
            table.unpin(held);
        }
    }

    /**
     * Pure.
     *
     * @param held a handle from {@link #claimOrPin}.
     * @return {@code true} when it holds the claim.
     */
    public static boolean isClaimed(final long held)
    {
        return (held & CLAIMED) != 0;
    }

    /**
     * Pure.
     *
     * @param held a handle from {@link #claimOrPin}.
     * @return the plain handle, {@link #CLAIMED} cleared.
     */
    public static long handleOf(final long held)
    {
        return held & ~CLAIMED;
    }
}
