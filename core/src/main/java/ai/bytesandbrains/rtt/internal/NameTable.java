package ai.bytesandbrains.rtt.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The names of sites ({@code host:port}, UTF-8) in a tracker's buffer, so that its file, {@code rtt-stat},
 * the JSON export and the metrics can show them: an insert-only, open-addressing table keyed by site id.
 *
 * <h2>Region layout</h2>
 * <pre>
 *  +--------------------------+  regionOffset
 *  | control (128 B)          |  dropped count | pad
 *  +--------------------------+  + CONTROL_LENGTH
 *  | slots: n * SLOT_LENGTH   |  n = nextPow2(2 * siteCapacity), linear probing from mix(site) &amp; (n - 1)
 *  +--------------------------+
 *
 *  slot (128 B, its own pair of cache lines):
 *   0       8        16                                               128
 *  +-------+--------+--------------------------------------------------+
 *  |  key  | length |  name: UTF-8, 1..MAX_NAME_BYTES bytes, zero pad    |
 *  +-------+--------+--------------------------------------------------+
 *  key    = site ^ KEY_MASK; 0 while the slot is free (zeroed memory is an empty table)
 *  length = 0 while the name is being written, then its byte count, stored last
 * </pre>
 *
 * <h2>Protocol</h2>
 * A namer probes from the site's home slot. A free slot (key 0) is claimed with one CAS of the key from 0:
 * of racing namers of one slot exactly one wins, and a loser reads the winner's key from the witness, so two
 * threads naming the same new site end with one slot. The winner writes the bytes with plain stores, then
 * the length with a release store. A reader loads the key (volatile), then the length with acquire: a
 * length above 0 proves every byte before it is visible. Slots are never freed or rewritten, so a
 * published name never changes and a reader needs no generation check; a length of 0 under a matching
 * key reads as "no name yet". A name is written once: a namer that finds its key stops, whatever name it
 * holds. A free slot ends every probe (no slot is ever freed, so no key lies beyond one).
 *
 * <h2>Limits</h2>
 * A name longer than {@link #MAX_NAME_BYTES} UTF-8 bytes, a table whose every slot is taken, and the one
 * site id whose key would be 0 ({@link #KEY_MASK}) are counted in {@link #droppedCount()} and not stored;
 * nothing is thrown. With twice as many slots as sites, the table holds the names of every tracked site
 * and as many again of sites evicted: names outlive eviction (a name is a fact about the id, which is
 * derived from it), so a site tracked again shows its name without being named again.
 *
 * <p>Thread-safe: any number of namers and readers at once, lock-free, allocation-free. Every probe is
 * bounded by the slot count, so no content, even a hostile file's, can make a lookup loop forever.
 */
public final class NameTable
{
    /** Offset of the count of names dropped (table full, name too long, the unnamable id) in the control. */
    public static final int DROPPED_OFFSET = 0;
    /** Bytes of the control record: two cache lines. */
    public static final int CONTROL_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;
    /** Offset of the key word in a slot: {@code site ^ KEY_MASK}, 0 when free. */
    public static final int KEY_OFFSET = 0;
    /** Offset of the length word in a slot: 0 until published. */
    public static final int LENGTH_OFFSET = KEY_OFFSET + Long.BYTES;
    /** Offset of the name's bytes in a slot. */
    public static final int NAME_OFFSET = LENGTH_OFFSET + Long.BYTES;
    /** Bytes of a slot: two cache lines, as a site record. */
    public static final int SLOT_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;
    /** Longest name stored, in UTF-8 bytes: room for {@code "[ffff:...:ffff]:65535"} and most host names. */
    public static final int MAX_NAME_BYTES = SLOT_LENGTH - NAME_OFFSET;
    /**
     * Stored keys are {@code site ^ KEY_MASK}, so that zeroed memory is free and small raw ids (0, 1, ...)
     * can be named; the one site id equal to this mask cannot be, and is counted as dropped.
     */
    public static final long KEY_MASK = 0x9E37_79B9_7F4A_7C15L;

    private final AtomicBuffer buffer;
    private final int regionOffset;
    private final int slotsOffset;
    private final int slotMask;

    /**
     * Wrap a name region that is zeroed or holds a table of the same shape; writes nothing. Any thread.
     *
     * @param buffer       the tracker's buffer.
     * @param regionOffset start of the region, 8-byte aligned.
     * @param siteCapacity the tracker's site capacity, at least 1.
     */
    public NameTable(final AtomicBuffer buffer, final int regionOffset, final int siteCapacity)
    {
        this.buffer = buffer;
        this.regionOffset = regionOffset;
        this.slotsOffset = regionOffset + CONTROL_LENGTH;
        this.slotMask = slotCount(siteCapacity) - 1;
    }

    /**
     * Pure; any thread.
     *
     * @param siteCapacity the tracker's site capacity.
     * @return slots of the table: the next power of two at or above {@code 2 * siteCapacity}.
     */
    public static int slotCount(final int siteCapacity)
    {
        return BitUtil.findNextPositivePowerOfTwo(Math.max(2, 2 * siteCapacity));
    }

    /**
     * Pure; any thread.
     *
     * @param siteCapacity the tracker's site capacity.
     * @return bytes of the region.
     */
    public static long regionLength(final int siteCapacity)
    {
        return CONTROL_LENGTH + (long)slotCount(siteCapacity) * SLOT_LENGTH;
    }

    /**
     * Immutable; any thread.
     *
     * @return number of slots: names the table can hold.
     */
    public int slotCount()
    {
        return slotMask + 1;
    }

    /**
     * Pure; any thread.
     *
     * @param slot a slot index below {@link #slotCount()}.
     * @return offset of the slot in the buffer.
     */
    public int slotOffset(final int slot)
    {
        return slotsOffset + slot * SLOT_LENGTH;
    }

    /**
     * Name {@code site} unless it has a name: find its slot, or claim a free one and write the name once.
     * Thread-safe, lock-free (never waits for another namer), allocation-free.
     *
     * @param site        the site id.
     * @param name        its name, not null.
     * @param utf8Length  {@code Utf8.encodedLength(name)}, at least 1.
     * @return {@code true} when the site has a name (written now, earlier, or being written by a racing
     * namer); {@code false} when the name was dropped and counted.
     */
    public boolean name(final long site, final CharSequence name, final int utf8Length)
    {
        if (site == KEY_MASK)
        {
            return drop(); // its key would be 0, a free slot's
        }
        final long key = site ^ KEY_MASK;
        int slot = home(site);
        for (int probes = 0; probes <= slotMask; probes++)
        {
            final int slotOffset = slotOffset(slot);
            long found = buffer.getLongVolatile(slotOffset + KEY_OFFSET); // latest claim: a taken slot is skipped
            if (found == 0)
            {
                if (utf8Length > MAX_NAME_BYTES)
                {
                    return drop(); // checked only here: a named site is found whatever name a later call gives
                }
                // CAS claim: of racing namers of this slot one wins; a loser learns the winner's key.
                found = buffer.compareAndExchangeLong(slotOffset + KEY_OFFSET, 0, key);
                if (found == 0)
                {
                    // Bounded by the slot: a text changed since it was measured must not overrun into the next
                    // slot or past the region, the end of the buffer. The length is what was written.
                    final int nameOffset = slotOffset + NAME_OFFSET;
                    final int written = Utf8.encode(name, buffer, nameOffset, MAX_NAME_BYTES) - nameOffset;
                    // release: the bytes above before the length, which readers load with acquire first
                    buffer.putLongRelease(slotOffset + LENGTH_OFFSET, written);
                    return true;
                }
            }
            if (found == key)
            {
                return true; // written once: a later call finds it and writes nothing
            }
            slot = (slot + 1) & slotMask;
        }
        return drop();
    }

    private boolean drop()
    {
        buffer.getAndAddLong(regionOffset + DROPPED_OFFSET, 1); // atomic: namers on any thread drop at once
        return false;
    }

    /**
     * The slot holding {@code site}'s key. Thread-safe, lock-free, allocation-free, writes nothing.
     *
     * @param site the site id.
     * @return the slot's offset, or -1 when the site has no slot.
     */
    public int find(final long site)
    {
        final long key = site ^ KEY_MASK;
        int slot = home(site);
        for (int probes = 0; probes <= slotMask; probes++)
        {
            final int slotOffset = slotOffset(slot);
            final long found = buffer.getLongVolatile(slotOffset + KEY_OFFSET); // a claim, before its length is read
            if (found == key)
            {
                return slotOffset;
            }
            if (found == 0)
            {
                return -1;
            }
            slot = (slot + 1) & slotMask;
        }
        return -1;
    }

    /**
     * Thread-safe, lock-free; pair with {@link #find}.
     *
     * @param slotOffset a slot's offset.
     * @return its length word, loaded with acquire so that the bytes it counts are visible: 0 while the name is
     * being written; a value outside 0..{@link #MAX_NAME_BYTES} is one no namer stores (a corrupt file).
     */
    public long lengthAcquire(final int slotOffset)
    {
        return buffer.getLongAcquire(slotOffset + LENGTH_OFFSET); // acquire: pairs with the namer's release
    }

    /**
     * Copy a published name's bytes; call after {@link #lengthAcquire} returned {@code length}.
     *
     * @param slotOffset a slot's offset.
     * @param dst        receives the bytes.
     * @param length     from {@link #lengthAcquire}, 1..{@link #MAX_NAME_BYTES}.
     */
    public void copyName(final int slotOffset, final byte[] dst, final int length)
    {
        buffer.getBytes(slotOffset + NAME_OFFSET, dst, 0, length); // plain: never rewritten once published
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return names dropped: table full, name longer than {@link #MAX_NAME_BYTES}, or the id {@link #KEY_MASK}.
     */
    public long droppedCount()
    {
        return buffer.getLongVolatile(regionOffset + DROPPED_OFFSET); // volatile: each namer's atomic add
    }

    int home(final long site)
    {
        return (int)RecordTable.hash(site, 0, 0) & slotMask;
    }

    /** @return the buffer; for repair. */
    AtomicBuffer buffer()
    {
        return buffer;
    }

    /** @return the region's offset; for repair. */
    int regionOffset()
    {
        return regionOffset;
    }
}
