package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NameTableTest
{
    private static final int SITE_CAPACITY = 4;
    private static final int GUARD = 512;

    /**
     * A name whose text changes between the pass that measures it and the pass that encodes it, as a
     * {@code StringBuilder} another thread appends to does: 5 characters when first measured, 300 after.
     */
    private static final class GrowingName implements CharSequence
    {
        private int lengthCalls;

        @Override
        public int length()
        {
            return ++lengthCalls <= 1 ? 5 : 300;
        }

        @Override
        public char charAt(final int index)
        {
            return index % 2 == 0 ? 'x' : '\u00e9'; // two bytes every other character
        }

        @Override
        public CharSequence subSequence(final int start, final int end)
        {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void shouldNeverWriteOutsideTheClaimedSlotWhateverTheTextDoesBetweenPasses() throws CharacterCodingException
    {
        final int regionLength = (int)NameTable.regionLength(SITE_CAPACITY);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(regionLength + GUARD));
        final NameTable table = new NameTable(buffer, 0, SITE_CAPACITY);
        final int lastSlot = table.slotCount() - 1;
        long site = 1;
        while (table.home(site) != lastSlot)
        {
            site++; // the last slot: an overrun leaves the region, the end of a tracker's buffer
        }
        final byte[] before = new byte[regionLength + GUARD];
        buffer.getBytes(0, before);

        final GrowingName name = new GrowingName();
        assertThat(table.name(site, name, Utf8.encodedLength(name))).isTrue();

        final int slotOffset = table.find(site);
        assertThat(slotOffset).isEqualTo(table.slotOffset(lastSlot));
        final long length = table.lengthAcquire(slotOffset);
        assertThat(length).isBetween(1L, (long)NameTable.MAX_NAME_BYTES);
        final byte[] utf8 = new byte[(int)length];
        table.copyName(slotOffset, utf8, utf8.length);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));

        final byte[] after = new byte[regionLength + GUARD];
        buffer.getBytes(0, after);
        for (int i = 0; i < after.length; i++)
        {
            if (i < slotOffset || i >= slotOffset + NameTable.SLOT_LENGTH)
            {
                assertThat(after[i]).as("byte %d, outside slot %d", i, lastSlot).isEqualTo(before[i]);
            }
        }
    }
}
