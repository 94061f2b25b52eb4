package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A shared EMA kept as {@link #STRIPES} {@link AtomicEma} cells, each on its own pair of cache lines, so
 * that threads observing at once write different lines; merged on read (SEMANTICS §4, "shared priors
 * striped"). The global prior is one.
 *
 * <pre>
 *  offset                                                           + STRIPES * STRIPE_LENGTH
 *  +----------------------+----------------------+-----+----------------------+
 *  | cell 0 (word, count) | cell 1               | ... | cell STRIPES - 1     |   each STRIPE_LENGTH (128 B)
 *  +----------------------+----------------------+-----+----------------------+
 * </pre>
 *
 * <h2>Writers</h2>
 * A writer observes the cell of its stripe, {@link #stripe(Thread)}: the thread's id modulo
 * {@link #STRIPES}, so a thread always writes the same cell. Each cell is an {@link AtomicEma}: a CAS
 * loop on its word, then an atomic add of its count. Threads that share a stripe share a cell, which
 * stays exact (a CAS); they only contend as the unstriped prior did.
 *
 * <h2>Merge</h2>
 * A reader reads every cell, each whole (count first, then word, as {@link AtomicEma} says), and merges:
 * <ul>
 *   <li>no cell has a sample: {@link EmaWord#EMPTY}, count 0;</li>
 *   <li>exactly one cell has samples: that cell's word and count, unchanged. With one writing thread,
 *   or several on one stripe, the prior is therefore exactly the reference's;</li>
 *   <li>several: each cell is the EMA of its own stripe's samples; the merged srtt and rttvar are the
 *   means of the cells' srtt and rttvar weighted by their sample counts (a cell whose count lags its
 *   word weighs as many samples as its word has seen, at least), rounded to the nearest nanosecond;
 *   the merged EMA is warm once the cells together have seen {@link EmaWord#WARM_SAMPLES} samples, and
 *   its count is the sum of the cells' counts.</li>
 * </ul>
 * Cells are separate words read one after another, as the tiers of an estimate are: a reader racing
 * observes may see one cell updated and another not yet; each cell it uses is whole, and the merged
 * count never leads the samples in the words it merged.
 *
 * <p>Static, allocation-free, lock-free; thread-safe as described.
 */
public final class StripedEma
{
    /** Cells of a striped EMA: a power of two. */
    public static final int STRIPES = 4;
    /** Bytes from one cell to the next: two cache lines, so that no two stripes share a line. */
    public static final int STRIPE_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;
    /** Bytes of a striped EMA. */
    public static final int LENGTH = STRIPES * STRIPE_LENGTH;

    private StripedEma()
    {
    }

    /**
     * The stripe a thread writes. Pure function of the thread's id; any thread.
     *
     * @param thread the writing thread.
     * @return its stripe, 0 .. {@link #STRIPES} - 1.
     */
    public static int stripe(final Thread thread)
    {
        return (int)thread.getId() & (STRIPES - 1);
    }

    /**
     * Offset of a cell. Pure.
     *
     * @param offset of the striped EMA.
     * @param stripe 0 .. {@link #STRIPES} - 1.
     * @return offset of that stripe's {@link AtomicEma} cell.
     */
    public static int cellOffset(final int offset, final int stripe)
    {
        return offset + stripe * STRIPE_LENGTH;
    }

    /**
     * Apply a sample to the cell of {@code stripe}; thread-safe, lock-free ({@link AtomicEma#observe}).
     *
     * @param buffer     holding the striped EMA.
     * @param offset     of the striped EMA.
     * @param stripe     the writer's stripe, normally {@link #stripe(Thread) stripe(currentThread)}.
     * @param sampleNs   the sample, {@code >= 0}.
     * @param alphaShift log2(1/α), 0..63.
     * @param betaShift  log2(1/β), 0..63.
     */
    public static void observe(
        final AtomicBuffer buffer,
        final int offset,
        final int stripe,
        final long sampleNs,
        final int alphaShift,
        final int betaShift)
    {
        AtomicEma.observe(buffer, cellOffset(offset, stripe & (STRIPES - 1)), sampleNs, alphaShift, betaShift);
    }

    /**
     * The merged word, as the class Javadoc says; what an estimate reads. When at most one cell has
     * samples this is that cell's word, one volatile read per cell and no count read. Thread-safe,
     * lock-free, allocation-free.
     *
     * @param buffer holding the striped EMA.
     * @param offset of the striped EMA.
     * @return the merged word.
     */
    public static long word(final AtomicBuffer buffer, final int offset)
    {
        long single = EmaWord.EMPTY;
        int nonEmpty = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++)
        {
            final long word = AtomicEma.word(buffer, cellOffset(offset, stripe));
            if (word != EmaWord.EMPTY)
            {
                single = word;
                nonEmpty++;
            }
        }
        return nonEmpty <= 1 ? single : merge(buffer, offset);
    }

    /**
     * The merged count: the sum of the cells' counts, read before a {@link #word} read so that it never
     * leads the merged word (each cell's count is read before its word, see {@link AtomicEma}).
     * Thread-safe, lock-free, allocation-free.
     *
     * @param buffer holding the striped EMA.
     * @param offset of the striped EMA.
     * @return the sum, saturated at {@link Long#MAX_VALUE}; -1 when a cell holds a negative count, which
     * no writer stores (a corrupt state).
     */
    public static long sampleCount(final AtomicBuffer buffer, final int offset)
    {
        long count = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++)
        {
            final long cellCount = AtomicEma.sampleCount(buffer, cellOffset(offset, stripe));
            if (cellCount < 0)
            {
                return -1;
            }
            count = count + cellCount < 0 ? Long.MAX_VALUE : count + cellCount;
        }
        return count;
    }

    /** Several cells have samples: the count-weighted mean of the class Javadoc. */
    private static long merge(final AtomicBuffer buffer, final int offset)
    {
        double weights = 0;
        double srtt = 0;
        double rttvar = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++)
        {
            final int cell = cellOffset(offset, stripe);
            final long cellCount = AtomicEma.sampleCount(buffer, cell); // count first: see AtomicEma
            final long word = AtomicEma.word(buffer, cell);
            if (word != EmaWord.EMPTY)
            {
                // A count lagging its word weighs what the word has seen at least.
                final double weight = Math.max(cellCount, EmaWord.state(word));
                weights += weight;
                srtt += weight * EmaWord.srttNs(word);
                rttvar += weight * EmaWord.rttvarNs(word);
            }
        }
        return EmaWord.pack((long)Math.min(weights, EmaWord.WARM_SAMPLES), Math.round(srtt / weights),
            Math.round(rttvar / weights));
    }
}
