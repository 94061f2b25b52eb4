package ai.bytesandbrains.rtt.wire;

import ai.bytesandbrains.rtt.view.EmaView;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static ai.bytesandbrains.rtt.wire.ReportCodec.CHAIN_ID_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_COUNT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.FLAGS_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.FROM_SITE_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.HEADER_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.MAX_ENTRIES;
import static ai.bytesandbrains.rtt.wire.ReportCodec.NEXT_HOP_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RESERVED_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RTTVAR_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.SAMPLE_COUNT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.SRTT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION_OFFSET;

/**
 * Flyweight encoder of a version-1 report message ({@link ReportCodec}) into a
 * {@link MutableDirectBuffer}: wrap a region, append entries, send {@link #encodedLength()} bytes.
 * Allocation-free; reusable by wrapping again.
 *
 * <p>Not thread-safe: one encoder per thread. It writes only inside the region it was wrapped on.
 */
public final class ReportEncoder
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int entryCount;

    /**
     * Start a message in {@code buffer[offset, offset + maxLength)}: writes the header with no entries.
     * Single-threaded.
     *
     * @param buffer    the destination.
     * @param offset    where the message starts.
     * @param maxLength bytes the message may take, at least {@link ReportCodec#HEADER_LENGTH}.
     * @param fromSite  the reporting site (the sender).
     * @return this.
     * @throws IllegalArgumentException when the region is outside the buffer or shorter than a header.
     */
    public ReportEncoder wrap(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final long fromSite)
    {
        if (offset < 0 || maxLength < HEADER_LENGTH || (long)offset + maxLength > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "region [" + offset + ", +" + maxLength + ") must hold a header within capacity " + buffer.capacity());
        }
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + maxLength;
        this.entryCount = 0;
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)0);
        buffer.putShort(offset + ENTRY_COUNT_OFFSET, (short)0, ORDER);
        buffer.putShort(offset + ENTRY_LENGTH_OFFSET, (short)ENTRY_LENGTH, ORDER);
        buffer.putShort(offset + RESERVED_OFFSET, (short)0, ORDER);
        buffer.putLong(offset + FROM_SITE_OFFSET, fromSite, ORDER);
        return this;
    }

    /**
     * Append one entry when it fits. Single-threaded.
     *
     * @param nextHop     the reporting site's next hop.
     * @param chainId     the chain.
     * @param srttNs      srtt of the edge, {@code >= 0}.
     * @param rttvarNs    rttvar of the edge, {@code >= 0}.
     * @param sampleCount samples behind it, {@code >= 0}.
     * @return {@code false} when the region or the 16-bit entry count is full; nothing was written.
     * @throws IllegalArgumentException when a value is negative.
     * @throws IllegalStateException    when not wrapped.
     */
    public boolean addEntry(
        final long nextHop, final long chainId, final long srttNs, final long rttvarNs, final long sampleCount)
    {
        if (buffer == null)
        {
            throw new IllegalStateException("not wrapped");
        }
        if (srttNs < 0 || rttvarNs < 0 || sampleCount < 0)
        {
            throw new IllegalArgumentException(
                "negative value: srtt=" + srttNs + " rttvar=" + rttvarNs + " count=" + sampleCount);
        }
        final int entryOffset = offset + HEADER_LENGTH + entryCount * ENTRY_LENGTH;
        if (entryCount == MAX_ENTRIES || entryOffset + ENTRY_LENGTH > limit)
        {
            return false;
        }
        buffer.putLong(entryOffset + NEXT_HOP_OFFSET, nextHop, ORDER);
        buffer.putLong(entryOffset + CHAIN_ID_OFFSET, chainId, ORDER);
        buffer.putLong(entryOffset + SRTT_OFFSET, srttNs, ORDER);
        buffer.putLong(entryOffset + RTTVAR_OFFSET, rttvarNs, ORDER);
        buffer.putLong(entryOffset + SAMPLE_COUNT_OFFSET, sampleCount, ORDER);
        entryCount++;
        buffer.putShort(offset + ENTRY_COUNT_OFFSET, (short)entryCount, ORDER);
        return true;
    }

    /**
     * Append the edge held by {@code edge}, a view filled by {@code RttTracker.readEdge} (its site is
     * the next hop). Single-threaded.
     *
     * @param edge a view of one of the reporting site's own outgoing edges.
     * @return {@code false} when full, as {@link #addEntry}.
     */
    public boolean addEdge(final EmaView edge)
    {
        // An edge's site is the next hop. Other kinds keep the order their keys were stored in, as before
        // views were typed: a report's (fromSite, nextHop), a chain prior's (chainId, 0).
        final long nextHop = edge.kind() == EmaView.Kind.REPORTED ? edge.fromSite() :
            edge.kind() == EmaView.Kind.CHAIN_PRIOR ? edge.chainId() : edge.site();
        final long chainId = edge.kind() == EmaView.Kind.REPORTED ? edge.nextHop() :
            edge.kind() == EmaView.Kind.CHAIN_PRIOR ? 0 : edge.chainId();
        return addEntry(nextHop, chainId, edge.srttNs(), edge.rttvarNs(), edge.sampleCount());
    }

    /**
     * Not thread-safe: the encoder's thread.
     *
     * @return entries written so far.
     */
    public int entryCount()
    {
        return entryCount;
    }

    /**
     * Not thread-safe: the encoder's thread.
     *
     * @return bytes of the message so far: header plus entries.
     */
    public int encodedLength()
    {
        return ReportCodec.encodedLength(entryCount);
    }
}
