package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;

import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One {@link AtomicEma} cell with a canary word on each side, the shape every EMA stress test uses.
 *
 * <pre>
 *   0          8           16          24          32
 *  +----------+-----------+-----------+----------+
 *  | canary   | EMA word  | count     | canary   |
 *  +----------+-----------+-----------+----------+
 * </pre>
 */
final class EmaCell
{
    static final int BEFORE_OFFSET = 0;
    static final int CELL_OFFSET = BEFORE_OFFSET + Long.BYTES;
    static final int AFTER_OFFSET = CELL_OFFSET + AtomicEma.CELL_LENGTH;
    static final int LENGTH = AFTER_OFFSET + Long.BYTES;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[LENGTH]);

    EmaCell(final long... seedSamples)
    {
        buffer.putLong(BEFORE_OFFSET, Outcomes.CANARY);
        buffer.putLong(AFTER_OFFSET, Outcomes.CANARY);
        for (final long sample : seedSamples)
        {
            observe(sample);
        }
    }

    static long seededWord(final long... seedSamples)
    {
        long word = EmaWord.EMPTY;
        for (final long sample : seedSamples)
        {
            word = EmaWord.update(word, sample);
        }
        return word;
    }

    long observe(final long sample)
    {
        return AtomicEma.observe(
            buffer, CELL_OFFSET, sample, EmaShifts.DEFAULT_ALPHA_SHIFT, EmaShifts.DEFAULT_BETA_SHIFT);
    }

    long word()
    {
        return AtomicEma.word(buffer, CELL_OFFSET);
    }

    long count()
    {
        return AtomicEma.sampleCount(buffer, CELL_OFFSET);
    }

    String canaries()
    {
        return Outcomes.canaries(buffer.getLongVolatile(BEFORE_OFFSET), buffer.getLongVolatile(AFTER_OFFSET));
    }
}
