package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Lock-free operations on an EMA cell in an {@link AtomicBuffer}: the {@link EmaWord} followed by its
 * exact sample count.
 *
 * <pre>
 *   0                   8                   16
 *  +-------------------+-------------------+
 *  |     EMA word      |   sample count    |
 *  +-------------------+-------------------+
 * </pre>
 *
 * <p>Any number of threads may observe, read and overwrite a cell concurrently. Each observe is one
 * compare-and-set loop on the EMA word, so concurrent observes linearise in some order and a reader
 * always sees a whole word. The count is incremented after the word, with an atomic add
 * ({@link #observe}), or, by a writer holding its record's claim, with a plain load and a release store
 * ({@link #observeClaimed}; other writers of that record then count elsewhere); either way it never loses
 * an increment. A reader that reads the count first and the word second (volatile reads, in that
 * order, as every reader in this library does) sees a count that lags the word by at most the
 * observes in flight, never one ahead of it.
 */
public final class AtomicEma
{
    /** Offset of the EMA word in a cell. */
    public static final int WORD_OFFSET = 0;
    /** Offset of the exact sample count in a cell. */
    public static final int COUNT_OFFSET = WORD_OFFSET + Long.BYTES;
    /** Bytes of a cell. */
    public static final int CELL_LENGTH = COUNT_OFFSET + Long.BYTES;

    private AtomicEma()
    {
    }

    /**
     * Apply a sample to the cell at {@code offset}; thread-safe, lock-free. Checks the cell's range once
     * ({@link RecordMemory#address}), then addresses its two words directly.
     *
     * @param buffer     holding the cell.
     * @param offset     of the cell, 8-byte aligned.
     * @param sampleNs   the sample, {@code >= 0}.
     * @param alphaShift log2(1/α), 0..63.
     * @param betaShift  log2(1/β), 0..63.
     * @return the word this observe installed.
     * @throws IndexOutOfBoundsException when the cell is not inside the buffer.
     */
    public static long observe(
        final AtomicBuffer buffer, final int offset, final long sampleNs, final int alphaShift, final int betaShift)
    {
        return observe(
            RecordMemory.base(buffer), RecordMemory.address(buffer, offset, CELL_LENGTH), sampleNs, alphaShift, betaShift);
    }

    /**
     * Apply a sample to the cell at {@code cellAddress}, a range the caller checked with
     * {@link RecordMemory#address} (a whole record holding the cell, or the cell itself); thread-safe,
     * lock-free.
     *
     * @param base        {@link RecordMemory#base} of the buffer.
     * @param cellAddress of the cell, 8-byte aligned, {@link #CELL_LENGTH} bytes inside a checked range.
     * @param sampleNs    the sample, {@code >= 0}.
     * @param alphaShift  log2(1/α), 0..63.
     * @param betaShift   log2(1/β), 0..63.
     * @return the word this observe installed.
     */
    public static long observe(
        final Object base, final long cellAddress, final long sampleNs, final int alphaShift, final int betaShift)
    {
        final long next = observeWord(base, cellAddress + WORD_OFFSET, sampleNs, alphaShift, betaShift);
        // After the word: a reader reading count then word never sees a count ahead of its word.
        RecordMemory.getAndAddLong(base, cellAddress + COUNT_OFFSET, 1);
        return next;
    }

    /**
     * Apply a sample to the cell at {@code cellAddress} as the only writer of its count: the word by CAS,
     * since other writers may CAS it too, then the count with a plain load and a release store. For a
     * writer holding its record's claim ({@link RecordClaims}); every other writer of that cell counts
     * elsewhere. Thread-safe, lock-free, only under that exclusivity.
     *
     * @param base        {@link RecordMemory#base} of the buffer.
     * @param cellAddress of the cell, 8-byte aligned, {@link #CELL_LENGTH} bytes inside a checked range.
     * @param sampleNs    the sample, {@code >= 0}.
     * @param alphaShift  log2(1/α), 0..63.
     * @param betaShift   log2(1/β), 0..63.
     * @return the word this observe installed.
     */
    public static long observeClaimed(
        final Object base, final long cellAddress, final long sampleNs, final int alphaShift, final int betaShift)
    {
        final long next = observeWord(base, cellAddress + WORD_OFFSET, sampleNs, alphaShift, betaShift);
        final long count = RecordMemory.getLong(base, cellAddress + COUNT_OFFSET); // plain: claimants alone write it
        // release, after the word's CAS: a reader reading count then word never sees a count ahead of its word
        RecordMemory.putLongRelease(base, cellAddress + COUNT_OFFSET, count + 1);
        return next;
    }

    /**
     * Apply a sample to the EMA word at {@code wordAddress} alone, by a CAS loop; the caller counts it.
     * Thread-safe, lock-free.
     *
     * @param base        {@link RecordMemory#base} of the buffer.
     * @param wordAddress of the word, 8-byte aligned, inside a checked range.
     * @param sampleNs    the sample, {@code >= 0}.
     * @param alphaShift  log2(1/α), 0..63.
     * @param betaShift   log2(1/β), 0..63.
     * @return the word this observe installed.
     */
    public static long observeWord(
        final Object base, final long wordAddress, final long sampleNs, final int alphaShift, final int betaShift)
    {
        long word = RecordMemory.getLongVolatile(base, wordAddress); // a starting guess; the CAS validates it
        while (true)
        {
            final long next = EmaWord.update(word, sampleNs, alphaShift, betaShift);
            // A full-fence CAS: the new word is built from exactly the word it replaces.
            final long witness = RecordMemory.compareAndExchangeLong(base, wordAddress, word, next);
            if (witness == word)
            {
                return next;
            }
            word = witness;
        }
    }

    /**
     * Read the word of the cell at {@code offset} with volatile semantics. Thread-safe.
     *
     * @param buffer holding the cell.
     * @param offset of the cell.
     * @return the EMA word.
     */
    public static long word(final AtomicBuffer buffer, final int offset)
    {
        return buffer.getLongVolatile(offset + WORD_OFFSET); // volatile: read after the count, see the class comment
    }

    /**
     * Read the sample count of the cell at {@code offset} with volatile semantics: the exact count of a
     * prior or report; of a site or an edge, the claimants' share, to which the record's contended count
     * adds (see {@code SiteRecord}, {@code EmaRecord}). Thread-safe.
     *
     * @param buffer holding the cell.
     * @param offset of the cell.
     * @return samples applied, or the count last stored by {@link #overwrite}.
     */
    public static long sampleCount(final AtomicBuffer buffer, final int offset)
    {
        return buffer.getLongVolatile(offset + COUNT_OFFSET); // volatile: read before the word, see the class comment
    }

    /**
     * Replace the cell with a reported state; thread-safe, lock-free, two release stores.
     *
     * <p>The word is stored first, then the count, each with release semantics, so that a reader that
     * reads the count and then the word (volatile) and sees this count also sees this word or a newer
     * one. The word is always whole (srtt, rttvar and warm
     * state of one report). When several threads overwrite the same cell at once, the word ends as one
     * caller's and the count as one caller's, not necessarily the same caller's: concurrent reports for
     * one entry are a race the caller decides, and the word, which carries the warm state, stays whole.
     *
     * @param buffer      holding the cell.
     * @param offset      of the cell.
     * @param word        the word to store.
     * @param sampleCount the count to store.
     */
    public static void overwrite(final AtomicBuffer buffer, final int offset, final long word, final long sampleCount)
    {
        buffer.putLongRelease(offset + WORD_OFFSET, word); // release: the word whole, before its count
        buffer.putLongRelease(offset + COUNT_OFFSET, sampleCount); // release: a reader seeing this count sees the word
    }
}
