package ai.bytesandbrains.rtt.wire;

import ai.bytesandbrains.rtt.RttTracker;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static ai.bytesandbrains.rtt.wire.ReportCodec.BAD_ENTRY_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.CHAIN_ID_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_COUNT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.FLAGS_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.FROM_SITE_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.HEADER_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.NEGATIVE_VALUE;
import static ai.bytesandbrains.rtt.wire.ReportCodec.NEXT_HOP_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.OK;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RANGE_OUTSIDE_BUFFER;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RESERVED_BITS_SET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RESERVED_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RTTVAR_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.SAMPLE_COUNT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.SRTT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.TRUNCATED_ENTRIES;
import static ai.bytesandbrains.rtt.wire.ReportCodec.TRUNCATED_HEADER;
import static ai.bytesandbrains.rtt.wire.ReportCodec.UNSUPPORTED_VERSION;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.encodedLength;

/**
 * Flyweight decoder of a report message ({@link ReportCodec}). {@link #wrap} validates the whole
 * message once: the range against the buffer's capacity, the header, that every entry lies inside the
 * given length, and that no value is negative. Only then do the accessors read, and only inside
 * {@code [offset, offset + length)}: no input makes the decoder read outside it. Allocation-free;
 * reusable by wrapping again.
 *
 * <p>Not thread-safe: one decoder per thread.
 */
public final class ReportDecoder
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int entryCount;
    private int entryLength;
    private int encodedLength;

    /**
     * Validate and wrap the message in {@code buffer[offset, offset + length)}. Single-threaded.
     *
     * @param buffer the received bytes.
     * @param offset where the message starts.
     * @param length bytes received; trailing bytes past the message are ignored.
     * @return {@link ReportCodec#OK}, or a negative error code ({@link ReportCodec#describe(int)});
     * after an error the decoder is unwrapped and its accessors throw.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        entryCount = 0;
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            return RANGE_OUTSIDE_BUFFER;
        }
        if (length < HEADER_LENGTH)
        {
            return TRUNCATED_HEADER;
        }
        if ((buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return UNSUPPORTED_VERSION;
        }
        if (buffer.getByte(offset + FLAGS_OFFSET) != 0 || buffer.getShort(offset + RESERVED_OFFSET, ORDER) != 0)
        {
            return RESERVED_BITS_SET;
        }
        final int count = buffer.getShort(offset + ENTRY_COUNT_OFFSET, ORDER) & 0xFFFF;
        final int entryLen = buffer.getShort(offset + ENTRY_LENGTH_OFFSET, ORDER) & 0xFFFF;
        if (entryLen < ENTRY_LENGTH)
        {
            return BAD_ENTRY_LENGTH;
        }
        final long total = HEADER_LENGTH + (long)count * entryLen;
        if (total > length)
        {
            return TRUNCATED_ENTRIES;
        }
        for (int i = 0; i < count; i++)
        {
            final int entryOffset = offset + HEADER_LENGTH + i * entryLen;
            if (buffer.getLong(entryOffset + SRTT_OFFSET, ORDER) < 0 ||
                buffer.getLong(entryOffset + RTTVAR_OFFSET, ORDER) < 0 ||
                buffer.getLong(entryOffset + SAMPLE_COUNT_OFFSET, ORDER) < 0)
            {
                return NEGATIVE_VALUE;
            }
        }
        this.buffer = buffer;
        this.offset = offset;
        this.entryCount = count;
        this.entryLength = entryLen;
        this.encodedLength = (int)total;
        return OK;
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @return the version of the wrapped message.
     */
    public int version()
    {
        checkWrapped();
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @return the reporting site.
     */
    public long fromSite()
    {
        checkWrapped();
        return buffer.getLong(offset + FROM_SITE_OFFSET, ORDER);
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @return entries in the message.
     */
    public int entryCount()
    {
        checkWrapped();
        return entryCount;
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @return bytes the message takes (header plus entries), at most the wrapped length.
     */
    public int encodedLength()
    {
        checkWrapped();
        return encodedLength;
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @param index entry, {@code 0 <= index < entryCount()}.
     * @return its next hop.
     */
    public long nextHop(final int index)
    {
        return buffer.getLong(entryOffset(index) + NEXT_HOP_OFFSET, ORDER);
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @param index entry.
     * @return its chain id.
     */
    public long chainId(final int index)
    {
        return buffer.getLong(entryOffset(index) + CHAIN_ID_OFFSET, ORDER);
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @param index entry.
     * @return its srtt, {@code >= 0}.
     */
    public long srttNs(final int index)
    {
        return buffer.getLong(entryOffset(index) + SRTT_OFFSET, ORDER);
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @param index entry.
     * @return its rttvar, {@code >= 0}.
     */
    public long rttvarNs(final int index)
    {
        return buffer.getLong(entryOffset(index) + RTTVAR_OFFSET, ORDER);
    }

    /**
     * Not thread-safe: the decoder's thread.
     *
     * @param index entry.
     * @return its sample count, {@code >= 0}.
     */
    public long sampleCount(final int index)
    {
        return buffer.getLong(entryOffset(index) + SAMPLE_COUNT_OFFSET, ORDER);
    }

    /**
     * Store every entry in {@code tracker} with {@link RttTracker#ingestReportedOutgoing}, from
     * {@link #fromSite()}. The decoder is single-threaded; the tracker may be shared by any threads.
     *
     * @param tracker the tracker.
     * @return entries stored (an entry is not stored when the reported table is full).
     */
    public int ingestInto(final RttTracker tracker)
    {
        final long from = fromSite();
        int stored = 0;
        for (int i = 0; i < entryCount; i++)
        {
            if (tracker.ingestReportedOutgoing(from, nextHop(i), chainId(i), srttNs(i), rttvarNs(i), sampleCount(i)))
            {
                stored++;
            }
        }
        return stored;
    }

    private int entryOffset(final int index)
    {
        checkWrapped();
        if (index < 0 || index >= entryCount)
        {
            throw new IndexOutOfBoundsException("entry " + index + " of " + entryCount);
        }
        return offset + HEADER_LENGTH + index * entryLength;
    }

    private void checkWrapped()
    {
        if (buffer == null)
        {
            throw new IllegalStateException("no valid message wrapped");
        }
    }
}
