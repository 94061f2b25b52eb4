package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class StripedEmaTest
{
    private static final int OFFSET = 128;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(OFFSET + StripedEma.LENGTH + 128));

    @Test
    void shouldReadEmptyWithNoSample()
    {
        assertThat(StripedEma.word(buffer, OFFSET)).isEqualTo(EmaWord.EMPTY);
        assertThat(StripedEma.sampleCount(buffer, OFFSET)).isZero();
    }

    @Test
    void shouldEqualTheOneCellWrittenWhateverItsStripe()
    {
        for (int stripe = 0; stripe < StripedEma.STRIPES; stripe++)
        {
            final UnsafeBuffer fresh = new UnsafeBuffer(ByteBuffer.allocateDirect(OFFSET + StripedEma.LENGTH));
            long expected = EmaWord.EMPTY;
            for (final long sample : new long[] {1000, 2000, 600, 1_000_000_007L, 3})
            {
                StripedEma.observe(fresh, OFFSET, stripe, sample, 6, 5);
                expected = EmaWord.update(expected, sample, 6, 5);
            }
            assertThat(StripedEma.word(fresh, OFFSET)).isEqualTo(expected);
            assertThat(StripedEma.sampleCount(fresh, OFFSET)).isEqualTo(5);
        }
    }

    @Test
    void shouldMergeCellsByCountWeightedMeans()
    {
        // stripe 0: three samples of 1000; stripe 2: one sample of 4000.
        for (int i = 0; i < 3; i++)
        {
            StripedEma.observe(buffer, OFFSET, 0, 1000, 3, 2);
        }
        StripedEma.observe(buffer, OFFSET, 2, 4000, 3, 2);
        final long cell0 = AtomicEma.word(buffer, StripedEma.cellOffset(OFFSET, 0));
        final long cell2 = AtomicEma.word(buffer, StripedEma.cellOffset(OFFSET, 2));
        final long merged = StripedEma.word(buffer, OFFSET);
        assertThat(EmaWord.srttNs(merged))
            .isEqualTo(Math.round((3.0 * EmaWord.srttNs(cell0) + EmaWord.srttNs(cell2)) / 4));
        assertThat(EmaWord.rttvarNs(merged))
            .isEqualTo(Math.round((3.0 * EmaWord.rttvarNs(cell0) + EmaWord.rttvarNs(cell2)) / 4));
        assertThat(EmaWord.isWarm(merged)).isTrue();
        assertThat(StripedEma.sampleCount(buffer, OFFSET)).isEqualTo(4);
    }

    @Test
    void shouldBeWarmOnceTheCellsTogetherHaveSeenThreeSamples()
    {
        StripedEma.observe(buffer, OFFSET, 1, 100, 3, 2);
        StripedEma.observe(buffer, OFFSET, 3, 300, 3, 2);
        assertThat(EmaWord.state(StripedEma.word(buffer, OFFSET))).isEqualTo(2);
        StripedEma.observe(buffer, OFFSET, 0, 200, 3, 2);
        assertThat(EmaWord.isWarm(StripedEma.word(buffer, OFFSET))).isTrue();
        assertThat(EmaWord.srttNs(StripedEma.word(buffer, OFFSET))).isEqualTo(200);
    }

    @Test
    void shouldKeepEachStripeOnItsOwnLines()
    {
        assertThat(StripedEma.cellOffset(OFFSET, 1) - StripedEma.cellOffset(OFFSET, 0)).isEqualTo(128);
        assertThat(StripedEma.stripe(Thread.currentThread())).isBetween(0, StripedEma.STRIPES - 1);
        StripedEma.observe(buffer, OFFSET, 1, 100, 3, 2);
        assertThat(buffer.getLong(OFFSET - 8)).isZero();
        assertThat(buffer.getLong(OFFSET + StripedEma.LENGTH)).isZero();
    }

    @Test
    void shouldReportACorruptNegativeCell()
    {
        AtomicEma.overwrite(buffer, StripedEma.cellOffset(OFFSET, 3), EmaWord.pack(1, 5, 5), -1);
        assertThat(StripedEma.sampleCount(buffer, OFFSET)).isEqualTo(-1);
    }
}
