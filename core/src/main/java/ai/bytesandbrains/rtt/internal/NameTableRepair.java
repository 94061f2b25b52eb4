package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static ai.bytesandbrains.rtt.internal.NameTable.KEY_MASK;
import static ai.bytesandbrains.rtt.internal.NameTable.KEY_OFFSET;
import static ai.bytesandbrains.rtt.internal.NameTable.LENGTH_OFFSET;
import static ai.bytesandbrains.rtt.internal.NameTable.MAX_NAME_BYTES;
import static ai.bytesandbrains.rtt.internal.NameTable.NAME_OFFSET;
import static ai.bytesandbrains.rtt.internal.NameTable.SLOT_LENGTH;

/**
 * The cold side of a {@link NameTable}: validate a name region an earlier process (or anyone) wrote, then
 * rebuild it. Single-threaded, before the table is shared: plain loads and stores, published by handing
 * the tracker over. Validation writes nothing, so an owner can check the whole state before any of it
 * changes; every loop is bounded by the slot count.
 */
public final class NameTableRepair
{
    /**
     * A name kept by validation. Immutable.
     *
     * @param site  the site id.
     * @param utf8  the name's bytes, valid UTF-8, 1..{@link NameTable#MAX_NAME_BYTES} of them.
     */
    public record Entry(long site, byte[] utf8)
    {
    }

    private NameTableRepair()
    {
    }

    /**
     * Check every slot and collect the names a rebuild keeps; writes nothing. A claimed slot whose length
     * is still 0 is what a namer killed mid-write leaves: dropped, not refused.
     *
     * @param table the table.
     * @return the published names, in slot order.
     * @throws IllegalStateException naming the slot and word that no namer could have left: a dropped count
     *                               outside 0..{@link RecordTable#MAX_COUNT}, a length on a free slot or outside
     *                               0..{@link NameTable#MAX_NAME_BYTES}, bytes that are not UTF-8, or one site
     *                               twice.
     */
    public static List<Entry> validate(final NameTable table)
    {
        final AtomicBuffer buffer = table.buffer();
        final long dropped = buffer.getLong(table.regionOffset() + NameTable.DROPPED_OFFSET);
        if (dropped < 0 || dropped > RecordTable.MAX_COUNT)
        {
            throw new IllegalStateException("dropped count " + dropped + " outside 0.." + RecordTable.MAX_COUNT);
        }
        final List<Entry> kept = new ArrayList<>();
        final Set<Long> sites = new HashSet<>();
        for (int slot = 0; slot < table.slotCount(); slot++)
        {
            final int slotOffset = table.slotOffset(slot);
            final long key = buffer.getLong(slotOffset + KEY_OFFSET);
            final long length = buffer.getLong(slotOffset + LENGTH_OFFSET);
            if (key == 0 ? length != 0 : length < 0 || length > MAX_NAME_BYTES)
            {
                throw fault(slot, key, "length " + length + (key == 0 ? " on a free slot" : " outside 0.." + MAX_NAME_BYTES));
            }
            if (length == 0)
            {
                continue; // free, or claimed by a namer that never published: dropped by the rebuild
            }
            final byte[] utf8 = new byte[(int)length];
            buffer.getBytes(slotOffset + NAME_OFFSET, utf8);
            requireUtf8(slot, key, utf8);
            if (!sites.add(key ^ KEY_MASK))
            {
                throw fault(slot, key, "site " + (key ^ KEY_MASK) + " named twice");
            }
            kept.add(new Entry(key ^ KEY_MASK, utf8));
        }
        return kept;
    }

    /**
     * Zero the table (only words not already zero, so untouched pages of a sparse file stay unallocated)
     * and insert {@code kept} again, each at the first free slot of its probe sequence, keeping the dropped
     * count. Single-threaded, before the table is shared.
     *
     * @param table the table.
     * @param kept  from {@link #validate}, unchanged since.
     */
    public static void rebuild(final NameTable table, final List<Entry> kept)
    {
        final AtomicBuffer buffer = table.buffer();
        TableRepair.clear(buffer, table.slotOffset(0), table.slotCount() * SLOT_LENGTH);
        for (final Entry entry : kept)
        {
            int slot = table.home(entry.site());
            while (buffer.getLong(table.slotOffset(slot) + KEY_OFFSET) != 0)
            {
                slot = (slot + 1) & (table.slotCount() - 1); // ends: at most slotCount names were kept
            }
            final int slotOffset = table.slotOffset(slot);
            buffer.putLong(slotOffset + KEY_OFFSET, entry.site() ^ KEY_MASK); // plain: single-threaded repair
            buffer.putBytes(slotOffset + NAME_OFFSET, entry.utf8());
            buffer.putLong(slotOffset + LENGTH_OFFSET, entry.utf8().length);
        }
    }

    private static void requireUtf8(final int slot, final long key, final byte[] utf8)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(utf8));
        }
        catch (final CharacterCodingException ex)
        {
            throw fault(slot, key, "name of " + utf8.length + " bytes is not UTF-8");
        }
    }

    private static IllegalStateException fault(final int slot, final long key, final String detail)
    {
        return new IllegalStateException("slot " + slot + " (site " + (key ^ KEY_MASK) + "): " + detail);
    }
}
