package ai.bytesandbrains.rtt.wire;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.EmaView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static ai.bytesandbrains.rtt.wire.ReportCodec.BAD_ENTRY_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_COUNT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.ENTRY_LENGTH_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.FLAGS_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.HEADER_LENGTH;
import static ai.bytesandbrains.rtt.wire.ReportCodec.NEGATIVE_VALUE;
import static ai.bytesandbrains.rtt.wire.ReportCodec.NEXT_HOP_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.OK;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RANGE_OUTSIDE_BUFFER;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RESERVED_BITS_SET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RESERVED_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.RTTVAR_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.SRTT_OFFSET;
import static ai.bytesandbrains.rtt.wire.ReportCodec.TRUNCATED_ENTRIES;
import static ai.bytesandbrains.rtt.wire.ReportCodec.TRUNCATED_HEADER;
import static ai.bytesandbrains.rtt.wire.ReportCodec.UNSUPPORTED_VERSION;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION;
import static ai.bytesandbrains.rtt.wire.ReportCodec.VERSION_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportCodecTest
{
    private final ReportEncoder encoder = new ReportEncoder();
    private final ReportDecoder decoder = new ReportDecoder();

    @Test
    void shouldRoundTripEntries()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        encoder.wrap(buffer, 8, 200, 42L);
        assertThat(encoder.addEntry(7L, -99L, 1_000L, 250L, 12L)).isTrue();
        assertThat(encoder.addEntry(-8L, 5L, 0L, 0L, 0L)).isTrue();

        assertThat(decoder.wrap(buffer, 8, encoder.encodedLength())).isEqualTo(OK);
        assertThat(decoder.version()).isEqualTo(VERSION);
        assertThat(decoder.fromSite()).isEqualTo(42L);
        assertThat(decoder.entryCount()).isEqualTo(2);
        assertThat(decoder.encodedLength()).isEqualTo(HEADER_LENGTH + 2 * ENTRY_LENGTH);
        assertThat(decoder.nextHop(0)).isEqualTo(7L);
        assertThat(decoder.chainId(0)).isEqualTo(-99L);
        assertThat(decoder.srttNs(0)).isEqualTo(1_000L);
        assertThat(decoder.rttvarNs(0)).isEqualTo(250L);
        assertThat(decoder.sampleCount(0)).isEqualTo(12L);
        assertThat(decoder.nextHop(1)).isEqualTo(-8L);
    }

    @Test
    void shouldWriteTheDocumentedLittleEndianLayout()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ReportCodec.encodedLength(1)]);
        encoder.wrap(buffer, 0, buffer.capacity(), 0x0102030405060708L);
        encoder.addEntry(11L, 12L, 13L, 14L, 15L);

        assertThat(buffer.getByte(0)).isEqualTo((byte)1);
        assertThat(buffer.getByte(1)).isEqualTo((byte)0);
        assertThat(buffer.getShort(2, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)1);
        assertThat(buffer.getShort(4, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)40);
        assertThat(buffer.getShort(6, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short)0);
        assertThat(buffer.getByte(8)).isEqualTo((byte)0x08);
        assertThat(buffer.getLong(16, ByteOrder.LITTLE_ENDIAN)).isEqualTo(11L);
        assertThat(buffer.getLong(48, ByteOrder.LITTLE_ENDIAN)).isEqualTo(15L);
    }

    @Test
    void shouldRefuseAnEntryThatDoesNotFit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ReportCodec.encodedLength(2) + 39]);
        encoder.wrap(buffer, 0, buffer.capacity(), 1L);
        assertThat(encoder.addEntry(1, 1, 1, 1, 1)).isTrue();
        assertThat(encoder.addEntry(2, 2, 2, 2, 2)).isTrue();
        assertThat(encoder.addEntry(3, 3, 3, 3, 3)).isFalse();
        assertThat(encoder.entryCount()).isEqualTo(2);
        assertThat(decoder.wrap(buffer, 0, buffer.capacity())).isEqualTo(OK);
        assertThat(decoder.entryCount()).isEqualTo(2);
    }

    @Test
    void shouldRejectNegativeValuesWhenEncoding()
    {
        encoder.wrap(new UnsafeBuffer(new byte[128]), 0, 128, 1L);
        assertThatThrownBy(() -> encoder.addEntry(1, 1, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.wrap(new UnsafeBuffer(new byte[64]), 60, 16, 1L))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameEachMalformation()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ReportCodec.encodedLength(1)]);
        final int length = validMessage(buffer);
        assertThat(decoder.wrap(buffer, 0, HEADER_LENGTH - 1)).isEqualTo(TRUNCATED_HEADER);
        assertThat(decoder.wrap(buffer, 0, length - 1)).isEqualTo(TRUNCATED_ENTRIES);
        assertThat(decoder.wrap(buffer, 1, length)).isEqualTo(RANGE_OUTSIDE_BUFFER);
        assertThat(decoder.wrap(buffer, -1, 4)).isEqualTo(RANGE_OUTSIDE_BUFFER);
        assertThat(decoder.wrap(buffer, 0, -4)).isEqualTo(RANGE_OUTSIDE_BUFFER);

        buffer.putByte(VERSION_OFFSET, (byte)2);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(UNSUPPORTED_VERSION);
        validMessage(buffer);
        buffer.putByte(FLAGS_OFFSET, (byte)1);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(RESERVED_BITS_SET);
        validMessage(buffer);
        buffer.putShort(RESERVED_OFFSET, (short)1);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(RESERVED_BITS_SET);
        validMessage(buffer);
        buffer.putShort(ENTRY_LENGTH_OFFSET, (short)39, ByteOrder.LITTLE_ENDIAN);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(BAD_ENTRY_LENGTH);
        validMessage(buffer);
        buffer.putLong(HEADER_LENGTH + RTTVAR_OFFSET, -5L, ByteOrder.LITTLE_ENDIAN);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(NEGATIVE_VALUE);
        assertThat(ReportCodec.describe(NEGATIVE_VALUE)).contains("negative");
    }

    @Test
    void shouldRefuseAccessAfterAFailedWrap()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ReportCodec.encodedLength(1)]);
        final int length = validMessage(buffer);
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(OK);
        assertThatThrownBy(() -> decoder.srttNs(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(decoder.wrap(buffer, 0, 3)).isEqualTo(TRUNCATED_HEADER);
        assertThatThrownBy(decoder::entryCount).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decoder.srttNs(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSkipTrailingBytesOfLongerEntriesFromALaterMinorLayout()
    {
        final int entryLength = ENTRY_LENGTH + 16;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH + 2 * entryLength]);
        buffer.putByte(VERSION_OFFSET, (byte)VERSION);
        buffer.putShort(ENTRY_COUNT_OFFSET, (short)2, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(ENTRY_LENGTH_OFFSET, (short)entryLength, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++)
        {
            final int at = HEADER_LENGTH + i * entryLength;
            buffer.putLong(at + NEXT_HOP_OFFSET, 100 + i, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(at + SRTT_OFFSET, 200 + i, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(at + ENTRY_LENGTH, -1L, ByteOrder.LITTLE_ENDIAN);
        }
        assertThat(decoder.wrap(buffer, 0, buffer.capacity())).isEqualTo(OK);
        assertThat(decoder.nextHop(1)).isEqualTo(101L);
        assertThat(decoder.srttNs(1)).isEqualTo(201L);
    }

    @Test
    void shouldIngestEveryEntryIntoATracker()
    {
        try (RttTracker tracker = RttTracker.builder().siteCapacity(16).historyCapacity(8).build())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            encoder.wrap(buffer, 0, 256, 5L);
            encoder.addEntry(6L, 77L, 3_000_000L, 500_000L, 9L);
            encoder.addEntry(8L, 77L, 1_000L, 10L, 1L);
            assertThat(decoder.wrap(buffer, 0, encoder.encodedLength())).isEqualTo(OK);

            assertThat(decoder.ingestInto(tracker)).isEqualTo(2);

            final EmaView view = new EmaView();
            assertThat(tracker.readReported(5L, 6L, 77L, view)).isTrue();
            assertThat(view.srttNs()).isEqualTo(3_000_000L);
            assertThat(view.rttvarNs()).isEqualTo(500_000L);
            assertThat(view.sampleCount()).isEqualTo(9L);
            assertThat(view.isWarm()).isTrue();
            assertThat(tracker.readReported(5L, 8L, 77L, view)).isTrue();
            assertThat(view.isWarm()).isFalse();

            encoder.wrap(buffer, 0, 256, 9L);
            encoder.addEdge(view);
            assertThat(decoder.wrap(buffer, 0, encoder.encodedLength())).isEqualTo(OK);
            assertThat(decoder.nextHop(0)).isEqualTo(5L);
            assertThat(decoder.chainId(0)).isEqualTo(8L);
            assertThat(decoder.srttNs(0)).isEqualTo(1_000L);
        }
    }

    @Test
    void shouldRoundTripRandomValidMessages()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0001L);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_LENGTH + 64 * ENTRY_LENGTH + 32]);
        final long[][] expected = new long[64][5];
        for (int round = 0; round < 2_000; round++)
        {
            final int offset = random.nextInt(32);
            final int count = random.nextInt(65);
            final long from = random.nextLong();
            encoder.wrap(buffer, offset, buffer.capacity() - offset, from);
            for (int i = 0; i < count; i++)
            {
                expected[i][0] = random.nextLong();
                expected[i][1] = random.nextLong();
                expected[i][2] = random.nextLong(Long.MAX_VALUE);
                expected[i][3] = random.nextLong(Long.MAX_VALUE);
                expected[i][4] = random.nextLong(Long.MAX_VALUE);
                assertThat(encoder.addEntry(expected[i][0], expected[i][1], expected[i][2], expected[i][3], expected[i][4]))
                    .isTrue();
            }

            assertThat(decoder.wrap(buffer, offset, encoder.encodedLength())).isEqualTo(OK);
            assertThat(decoder.fromSite()).isEqualTo(from);
            assertThat(decoder.entryCount()).isEqualTo(count);
            for (int i = 0; i < count; i++)
            {
                assertThat(decoder.nextHop(i)).isEqualTo(expected[i][0]);
                assertThat(decoder.chainId(i)).isEqualTo(expected[i][1]);
                assertThat(decoder.srttNs(i)).isEqualTo(expected[i][2]);
                assertThat(decoder.rttvarNs(i)).isEqualTo(expected[i][3]);
                assertThat(decoder.sampleCount(i)).isEqualTo(expected[i][4]);
            }
        }
    }

    @Test
    void shouldReportEveryTruncationOfAValidMessage()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0002L);
        for (int round = 0; round < 2_000; round++)
        {
            final int count = 1 + random.nextInt(8);
            final byte[] bytes = new byte[ReportCodec.encodedLength(count)];
            final UnsafeBuffer full = new UnsafeBuffer(bytes);
            encoder.wrap(full, 0, bytes.length, random.nextLong());
            for (int i = 0; i < count; i++)
            {
                encoder.addEntry(random.nextLong(), random.nextLong(), random.nextInt(1 << 30), random.nextInt(1 << 20), 3);
            }
            final int cut = random.nextInt(bytes.length);
            // Exactly `cut` bytes: any read past them throws IndexOutOfBoundsException (bounds checks are on).
            final UnsafeBuffer truncated = new UnsafeBuffer(bytes, 0, cut);

            final int result = decoder.wrap(truncated, 0, cut);

            assertThat(result).isEqualTo(cut < HEADER_LENGTH ? TRUNCATED_HEADER : TRUNCATED_ENTRIES);
        }
    }

    @Test
    void shouldNeverReadOutsideTheGivenRangeOnRandomBytes()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_0003L);
        int accepted = 0;
        for (int round = 0; round < 50_000; round++)
        {
            final byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean())
            {
                bytes[0] = (byte)VERSION; // get past the version check more often
                if (bytes.length > 7)
                {
                    bytes[1] = 0;
                    bytes[6] = 0;
                    bytes[7] = 0;
                    bytes[3] = 0;
                    bytes[2] = (byte)random.nextInt(4);
                    bytes[5] = 0;
                    bytes[4] = (byte)(ENTRY_LENGTH + random.nextInt(3));
                }
            }
            final UnsafeBuffer exact = new UnsafeBuffer(bytes);

            final int result = decoder.wrap(exact, 0, bytes.length);

            assertThat(result).isLessThanOrEqualTo(OK).isGreaterThanOrEqualTo(RANGE_OUTSIDE_BUFFER);
            if (result == OK)
            {
                accepted++;
                assertThat(decoder.encodedLength()).isLessThanOrEqualTo(bytes.length);
                for (int i = 0; i < decoder.entryCount(); i++)
                {
                    assertThat(decoder.srttNs(i)).isNotNegative();
                    assertThat(decoder.rttvarNs(i)).isNotNegative();
                    assertThat(decoder.sampleCount(i)).isNotNegative();
                    decoder.nextHop(i);
                    decoder.chainId(i);
                }
            }
            final int offset = random.nextInt(8) - 2;
            final int length = random.nextInt(220) - 10;
            assertThat(decoder.wrap(exact, offset, length)).isLessThanOrEqualTo(OK);
        }
        assertThat(accepted).as("some random messages must be valid, or the fuzz only tests the header").isPositive();
    }

    private int validMessage(final UnsafeBuffer buffer)
    {
        encoder.wrap(buffer, 0, buffer.capacity(), 3L);
        encoder.addEntry(4L, 5L, 6L, 7L, 8L);
        return encoder.encodedLength();
    }
}
