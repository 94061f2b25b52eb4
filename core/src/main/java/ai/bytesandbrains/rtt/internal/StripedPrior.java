package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.CHAIN_PUBLISHED_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.CHAIN_SHARED_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.CHAIN_STRIPES_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_PRIOR_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.GLOBAL_SHARED_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.ISOLATED_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.PRIOR_STRIPES_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.STRIPE_LENGTH;

/**
 * The global prior and the chain priors as thread-owned stripes: the EMAs every observe feeds, written
 * without a locked instruction by the threads that own a stripe.
 *
 * <h2>Cells</h2>
 * A prior (the global one, or one chain record's) is a <em>published word</em>, the EMA word estimates
 * read; {@code S} <em>stripes</em> ({@code S = priorStripes}, a power of two), each an EMA word and its
 * count on its own 64-byte line; and one <em>shared cell</em> ({@link AtomicEma} layout) on its own line.
 * The stripe index space is tracker-wide: {@code S} owner words, one per stripe, say which thread owns
 * stripe {@code i} of the global prior <em>and</em> of every chain record.
 *
 * <h2>Writers</h2>
 * A thread maps to stripe {@code mix(id) & (S - 1)} ({@link #stripeOf}) of its {@code Thread.getId()}, which Java
 * never reuses. The first time it writes, it CASes that stripe's owner word from 0 to its id (once per
 * thread and tracker); from then on it is the stripe's only writer, and updates it with a plain load and
 * release stores, then release-stores the new word into the published word. A thread whose stripe another
 * thread owns updates the shared cell with {@link AtomicEma}'s CAS loop and publishes the word it
 * installed. No two threads ever plain-write one word: a stripe has one owner, the shared cell is CASed,
 * the published word only ever receives whole words by release stores. A stripe or shared cell never
 * written yet starts from the published word, so a thread that joins continues the prior.
 *
 * <h2>What the published word is</h2>
 * With one writing thread, exactly the reference's EMA, bit for bit (its stripe holds every sample). With
 * several, the EMA of the samples of the stripe (or shared cell) that published last: every stripe is an
 * RFC 6298 EMA of the samples of its threads, started from the prior published when it joined, and the
 * published word is the latest of them. The sample count is exact: the sum of the stripes' counts and the
 * shared cell's. A snapshot or restart keeps the published word and the total count; it seeds every
 * stripe and the shared cell with the published word, and the owners start over (a new process has new
 * thread ids).
 *
 * <h2>Ordering</h2>
 * A writer stores the published word before its count, with release; a reader loads every count, then
 * the published word (volatile loads), so a count it sees was stored after a published word it sees or
 * an older one: the count is never ahead of the word, as for {@link AtomicEma}.
 *
 * <p>Instances are thread-safe: any number of threads may observe at once; hot methods are lock-free,
 * allocation-free and wait for no thread. Static readers are thread-safe and never write; the static
 * {@code reseed}/{@code clearOwners} are cold, single-threaded (restart repair and import).
 */
public final class StripedPrior
{
    /** {@link #stripe()} when this thread's stripe is owned by another thread: use the shared cell. */
    public static final int SHARED = -1;
    /** Offset of a stripe's EMA word. */
    public static final int WORD_OFFSET = 0;
    /** Offset of a stripe's sample count. */
    public static final int COUNT_OFFSET = WORD_OFFSET + Long.BYTES;

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private final Object base;
    private final long ownersAddress;
    private final long globalAddress;
    private final long globalSharedAddress;
    private final long globalStripesAddress;
    private final int mask;
    private final RecordTable chains;
    private final int alphaShift;
    private final int betaShift;
    private final int globalAlphaShift;
    private final int globalBetaShift;

    /**
     * Range-checks the global prior, the owner words and the global stripes once. Any thread; writes nothing.
     *
     * @param buffer the tracker's buffer.
     * @param layout its layout.
     * @param chains its chain table, of {@link TrackerLayout#chainRecordLength()}-byte records.
     */
    public StripedPrior(final AtomicBuffer buffer, final TrackerLayout layout, final RecordTable chains)
    {
        final int stripes = layout.priorStripes();
        base = RecordMemory.base(buffer);
        ownersAddress = RecordMemory.address(buffer, PRIOR_STRIPES_OFFSET, stripes * Long.BYTES);
        globalAddress = RecordMemory.address(buffer, GLOBAL_PRIOR_OFFSET, ISOLATED_RECORD_LENGTH);
        globalSharedAddress = globalAddress + (GLOBAL_SHARED_OFFSET - GLOBAL_PRIOR_OFFSET);
        globalStripesAddress = RecordMemory.address(buffer, layout.globalStripesOffset(), stripes * STRIPE_LENGTH);
        mask = stripes - 1;
        this.chains = chains;
        alphaShift = layout.config().emaShifts().alphaShift();
        betaShift = layout.config().emaShifts().betaShift();
        globalAlphaShift = layout.config().globalPriorShifts().alphaShift();
        globalBetaShift = layout.config().globalPriorShifts().betaShift();
    }

    /**
     * Pure; any thread.
     *
     * @param threadId a {@code Thread.getId()}.
     * @param stripes  the number of stripes, a power of two.
     * @return the stripe that thread maps to: Fibonacci hashing, so consecutive ids spread over the stripes.
     */
    public static int stripeOf(final long threadId, final int stripes)
    {
        return (int)((threadId * GOLDEN_GAMMA) >>> 32) & (stripes - 1);
    }

    /**
     * The stripe the calling thread owns, claiming it on its first call if no thread owns it yet (one CAS,
     * once per thread). Lock-free, allocation-free; any thread, answering for itself.
     *
     * @return the stripe index, or {@link #SHARED} when another thread owns this thread's stripe.
     */
    public int stripe()
    {
        final long id = Thread.currentThread().getId();
        final int stripe = (int)((id * GOLDEN_GAMMA) >>> 32) & mask;
        final long ownerAddress = ownersAddress + ((long)stripe << 3);
        // Plain: only this thread ever stores its id here (its own claim, earlier in its program order), and
        // any other value is only a hint: 0 is re-checked by the claim's CAS, another id sends it to the shared cell.
        final long owner = RecordMemory.getLong(base, ownerAddress);
        if (owner == id)
        {
            return stripe;
        }
        return owner == 0 ? claim(ownerAddress, id, stripe) : SHARED;
    }

    private int claim(final long ownerAddress, final long id, final int stripe)
    {
        // Full-fence CAS, cold (once per thread): exactly one thread wins a stripe, so a stripe has one plain writer.
        return RecordMemory.compareAndExchangeLong(base, ownerAddress, 0, id) == 0 ? stripe : SHARED;
    }

    /**
     * Apply a sample to the global prior through {@code stripe}. Lock-free, allocation-free; the calling
     * thread must pass what its own {@link #stripe()} returned.
     *
     * @param stripe   this thread's {@link #stripe()}.
     * @param sampleNs the sample, {@code >= 0}.
     * @return the word published.
     */
    public long observeGlobal(final int stripe, final long sampleNs)
    {
        if (stripe == SHARED)
        {
            return observeShared(base, globalSharedAddress, globalAddress, sampleNs, globalAlphaShift, globalBetaShift);
        }
        return observeOwned(base, globalStripesAddress + ((long)stripe << 6), globalAddress, sampleNs,
            globalAlphaShift, globalBetaShift);
    }

    /**
     * {@link #observeGlobal(int, long)} with this thread's {@link #stripe()}. Lock-free, allocation-free; any thread.
     *
     * @param sampleNs the sample, {@code >= 0}.
     * @return the word published.
     */
    public long observeGlobal(final long sampleNs)
    {
        return observeGlobal(stripe(), sampleNs);
    }

    /**
     * Apply a sample to a chain prior through {@code stripe}. Lock-free, allocation-free; the calling thread
     * must pass what its own {@link #stripe()} returned. Chain records are never evicted, so the handle
     * needs no pin.
     *
     * @param stripe      this thread's {@link #stripe()}.
     * @param chainHandle a handle of the chain table.
     * @param sampleNs    the sample, {@code >= 0}.
     * @return the word published.
     */
    public long observeChain(final int stripe, final long chainHandle, final long sampleNs)
    {
        // One range check for the whole record: its stripes, shared cell and published word are addressed directly.
        final long record = chains.recordAddress(RecordTable.record(chainHandle));
        if (stripe == SHARED)
        {
            return observeShared(
                base, record + CHAIN_SHARED_OFFSET, record + CHAIN_PUBLISHED_OFFSET, sampleNs, alphaShift, betaShift);
        }
        return observeOwned(base, record + CHAIN_STRIPES_OFFSET + ((long)stripe << 6), record + CHAIN_PUBLISHED_OFFSET,
            sampleNs, alphaShift, betaShift);
    }

    /** The owner's update: no locked instruction; only a stripe's owner may call it. */
    private static long observeOwned(final Object base, final long stripeAddress, final long publishedAddress,
        final long sampleNs, final int alphaShift, final int betaShift)
    {
        // Plain: this thread is the stripe's only writer, so its own last store is the latest value.
        long word = RecordMemory.getLong(base, stripeAddress + WORD_OFFSET);
        if (word == EmaWord.EMPTY)
        {
            // A stripe never written joins from the published word (volatile: the latest any writer published).
            word = RecordMemory.getLongVolatile(base, publishedAddress);
        }
        final long next = EmaWord.update(word, sampleNs, alphaShift, betaShift);
        // Release, not a CAS: no other thread writes this word; a cold reader (restart, tools) sees it whole.
        RecordMemory.putLongRelease(base, stripeAddress + WORD_OFFSET, next);
        // Release: a whole word, ordered after this stripe's word and before the count stored below.
        RecordMemory.putLongRelease(base, publishedAddress, next);
        final long count = RecordMemory.getLong(base, stripeAddress + COUNT_OFFSET); // plain: only this thread writes it
        // Release: after the published word, so a reader loading counts first never sees a count ahead of its word.
        RecordMemory.putLongRelease(base, stripeAddress + COUNT_OFFSET, count + 1);
        return next;
    }

    /** The shared cell's update: AtomicEma's CAS loop, publishing the installed word before the count. */
    private static long observeShared(final Object base, final long cellAddress, final long publishedAddress,
        final long sampleNs, final int alphaShift, final int betaShift)
    {
        final long wordAddress = cellAddress + AtomicEma.WORD_OFFSET;
        long word = RecordMemory.getLongVolatile(base, wordAddress); // a starting guess; the CAS validates it
        while (true)
        {
            // A cell never written joins from the published word, as a stripe does; the CAS from EMPTY admits one joiner.
            final long from = word == EmaWord.EMPTY ? RecordMemory.getLongVolatile(base, publishedAddress) : word;
            final long next = EmaWord.update(from, sampleNs, alphaShift, betaShift);
            // A full-fence CAS: the new word is built from exactly the word it replaces.
            final long witness = RecordMemory.compareAndExchangeLong(base, wordAddress, word, next);
            if (witness == word)
            {
                // Release: the installed word whole, before the count (a racing publisher may overwrite it: last wins).
                RecordMemory.putLongRelease(base, publishedAddress, next);
                // Atomic add after the published word: many threads share the cell, and the count is never ahead.
                RecordMemory.getAndAddLong(base, cellAddress + AtomicEma.COUNT_OFFSET, 1);
                return next;
            }
            word = witness;
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Cold: readers (any thread, never write), restart and import (single-threaded)
    // ----------------------------------------------------------------------------------------------

    /**
     * The global prior's exact sample count: the sum of its stripes' and shared cell's counts, each loaded
     * volatile; load the published word after it. Thread-safe, never writes.
     *
     * @param buffer holding the state.
     * @param layout its layout.
     * @return the count, or a negative code ({@link #globalFault}) when a count no writer stores was read.
     */
    public static long globalSampleCount(final AtomicBuffer buffer, final TrackerLayout layout)
    {
        return sampleCount(buffer, GLOBAL_SHARED_OFFSET, layout.globalStripesOffset(), layout.priorStripes());
    }

    /**
     * A chain prior's exact sample count, as {@link #globalSampleCount}. Thread-safe, never writes.
     *
     * @param buffer       holding the state.
     * @param layout       its layout.
     * @param recordOffset the chain record's offset.
     * @return the count, or a negative code ({@link #chainFault}).
     */
    public static long chainSampleCount(final AtomicBuffer buffer, final TrackerLayout layout, final int recordOffset)
    {
        return sampleCount(buffer, recordOffset + CHAIN_SHARED_OFFSET, recordOffset + CHAIN_STRIPES_OFFSET,
            layout.priorStripes());
    }

    /**
     * Name the count a negative {@link #globalSampleCount} refused, and its value (read again). Thread-safe, never writes.
     *
     * @param buffer holding the state.
     * @param layout its layout.
     * @param code   the negative result.
     * @return e.g. {@code "stripe 3 sample count -5 outside 0..2^62"}.
     */
    public static String globalFault(final AtomicBuffer buffer, final TrackerLayout layout, final long code)
    {
        return fault(buffer, GLOBAL_SHARED_OFFSET, layout.globalStripesOffset(), layout.priorStripes(), code);
    }

    /**
     * Name the count a negative {@link #chainSampleCount} refused, as {@link #globalFault}. Thread-safe, never writes.
     *
     * @param buffer       holding the state.
     * @param layout       its layout.
     * @param recordOffset the chain record's offset.
     * @param code         the negative result.
     * @return the field and its value.
     */
    public static String chainFault(final AtomicBuffer buffer, final TrackerLayout layout, final int recordOffset, final long code)
    {
        return fault(buffer, recordOffset + CHAIN_SHARED_OFFSET, recordOffset + CHAIN_STRIPES_OFFSET, layout.priorStripes(),
            code);
    }

    private static String fault(
        final AtomicBuffer buffer, final int sharedOffset, final int firstStripeOffset, final int stripes, final long code)
    {
        final long index = -1 - code;
        final String range = " outside 0.." + RecordTable.MAX_COUNT;
        if (index < stripes)
        {
            return "stripe " + index + " sample count " +
                buffer.getLongVolatile(firstStripeOffset + (int)index * STRIPE_LENGTH + COUNT_OFFSET) + range;
        }
        return index == stripes ?
            "shared cell sample count " + buffer.getLongVolatile(sharedOffset + AtomicEma.COUNT_OFFSET) + range :
            "sample counts summing beyond " + RecordTable.MAX_COUNT;
    }

    private static long sampleCount(
        final AtomicBuffer buffer, final int sharedOffset, final int firstStripeOffset, final int stripes)
    {
        // Volatile, before the published word: see the class comment. Each count in 0..MAX_COUNT, so no sum overflows.
        long total = buffer.getLongVolatile(sharedOffset + AtomicEma.COUNT_OFFSET);
        if (total < 0 || total > RecordTable.MAX_COUNT)
        {
            return -1 - stripes;
        }
        for (int i = 0; i < stripes; i++)
        {
            final long count = buffer.getLongVolatile(firstStripeOffset + i * STRIPE_LENGTH + COUNT_OFFSET);
            if (count < 0 || count > RecordTable.MAX_COUNT)
            {
                return -1 - i;
            }
            total += count;
            if (total > RecordTable.MAX_COUNT)
            {
                return -2 - stripes;
            }
        }
        return total;
    }

    /**
     * Seed the global prior with a word and count: the published word, every stripe word and the shared
     * cell's word get {@code word}; the shared cell's count gets {@code count}, every stripe's 0. Plain
     * stores: cold, single-threaded (restart repair, import), published by handing the tracker over.
     *
     * @param buffer holding the state.
     * @param layout its layout.
     * @param word   the EMA word.
     * @param count  the sample count, {@code >= 0}.
     */
    public static void reseedGlobal(final AtomicBuffer buffer, final TrackerLayout layout, final long word, final long count)
    {
        reseed(buffer, GLOBAL_PRIOR_OFFSET, GLOBAL_SHARED_OFFSET, layout.globalStripesOffset(), layout.priorStripes(),
            word, count);
    }

    /**
     * Seed a chain prior, as {@link #reseedGlobal}. Cold, single-threaded.
     *
     * @param buffer       holding the state.
     * @param layout       its layout.
     * @param recordOffset the chain record's offset.
     * @param word         the EMA word.
     * @param count        the sample count, {@code >= 0}.
     */
    public static void reseedChain(
        final AtomicBuffer buffer, final TrackerLayout layout, final int recordOffset, final long word, final long count)
    {
        reseed(buffer, recordOffset + CHAIN_PUBLISHED_OFFSET, recordOffset + CHAIN_SHARED_OFFSET,
            recordOffset + CHAIN_STRIPES_OFFSET, layout.priorStripes(), word, count);
    }

    private static void reseed(final AtomicBuffer buffer, final int publishedOffset, final int sharedOffset,
        final int firstStripeOffset, final int stripes, final long word, final long count)
    {
        buffer.putLong(publishedOffset, word);
        buffer.putLong(sharedOffset + AtomicEma.WORD_OFFSET, word);
        buffer.putLong(sharedOffset + AtomicEma.COUNT_OFFSET, count);
        for (int i = 0; i < stripes; i++)
        {
            buffer.putLong(firstStripeOffset + i * STRIPE_LENGTH + WORD_OFFSET, word);
            buffer.putLong(firstStripeOffset + i * STRIPE_LENGTH + COUNT_OFFSET, 0);
        }
    }

    /**
     * Forget every stripe's owner: thread ids of another process (or of this one before an import) mean
     * nothing now. Cold, single-threaded; plain stores.
     *
     * @param buffer holding the state.
     * @param layout its layout.
     */
    public static void clearOwners(final AtomicBuffer buffer, final TrackerLayout layout)
    {
        buffer.setMemory(PRIOR_STRIPES_OFFSET, layout.priorStripes() * Long.BYTES, (byte)0);
    }

    /**
     * Any thread; for tests and tools.
     *
     * @param buffer holding the state.
     * @param stripe a stripe index.
     * @return the id of the thread owning that stripe, 0 when none.
     */
    public static long owner(final AtomicBuffer buffer, final int stripe)
    {
        return buffer.getLongVolatile(PRIOR_STRIPES_OFFSET + stripe * Long.BYTES); // volatile: a claim's CAS
    }
}
