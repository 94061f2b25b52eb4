package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.state.TrackerTables;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link StripedPrior} over a fresh, zeroed state of a small configuration, with one chain record, for
 * the stripes' stress tests and their broken variant. Reads go through the same static readers as the
 * tracker's: counts first, then the published word.
 */
public final class PriorFixture
{
    /** The chain whose prior the tests write. */
    public static final long CHAIN = 0xC4A1_0000_0000_0042L;

    /** The state. */
    public final AtomicBuffer buffer;
    /** Its layout. */
    public final TrackerLayout layout;
    /** The priors. */
    public final StripedPrior prior;
    /** Handle of {@link #CHAIN}'s record. */
    public final long chain;
    private final int chainOffset;

    /**
     * Single-threaded, before the state is shared (jcstress publishes it to the actors).
     *
     * @param stripes prior stripes, a power of two.
     */
    public PriorFixture(final int stripes)
    {
        final RttTrackerConfig config = RttTrackerConfig.builder().siteCapacity(2).edgeCapacity(2).chainCapacity(2)
            .reportedCapacity(2).historyCapacity(2).priorStripes(stripes).toConfig();
        layout = new TrackerLayout(config);
        // Direct and aligned, as a tracker's own memory (TrackerFixture's trackers allocate alike per state).
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int)layout.totalLength(), TrackerLayout.ISOLATED_RECORD_LENGTH));
        final TrackerTables tables = new TrackerTables(layout, buffer);
        prior = new StripedPrior(buffer, layout, tables.chains());
        chain = tables.chains().findOrInsert(CHAIN, 0, 0);
        chainOffset = tables.chains().recordOffset(RecordTable.record(chain));
    }

    /** Any thread: the global prior's count (all stripes and the shared cell), read before its word. */
    public long globalCount()
    {
        return StripedPrior.globalSampleCount(buffer, layout);
    }

    /** Any thread: the global prior's published word. */
    public long globalWord()
    {
        return buffer.getLongVolatile(TrackerLayout.GLOBAL_PRIOR_OFFSET);
    }

    /** Any thread: the chain prior's count. */
    public long chainCount()
    {
        return StripedPrior.chainSampleCount(buffer, layout, chainOffset);
    }

    /** Any thread: the chain prior's published word. */
    public long chainWord()
    {
        return buffer.getLongVolatile(chainOffset + TrackerLayout.CHAIN_PUBLISHED_OFFSET);
    }

    /** Single-threaded, before sharing: give every stripe to an id no thread has, so every writer uses the shared cell. */
    public void ownAllStripesElsewhere()
    {
        for (int stripe = 0; stripe < layout.priorStripes(); stripe++)
        {
            buffer.putLong(TrackerLayout.PRIOR_STRIPES_OFFSET + stripe * Long.BYTES, Long.MAX_VALUE); // no thread's id
        }
    }

    /**
     * Pure: every word the global prior (or a chain prior, by the shifts) can publish last when thread A
     * applies {@code a1, a2} and thread B {@code b1, b2} from an empty prior. A stripe (or the shared cell)
     * joins from the word published when it first writes: empty, or one of the other thread's words.
     *
     * @return {@code a(E), b(E), a(B1), a(B2), b(A1), b(A2)}, where {@code a(J)} applies a1, a2 to J.
     */
    public static long[] lastPublished(
        final long a1, final long a2, final long b1, final long b2, final int alphaShift, final int betaShift)
    {
        final long aOne = EmaWord.update(EmaWord.EMPTY, a1, alphaShift, betaShift);
        final long bOne = EmaWord.update(EmaWord.EMPTY, b1, alphaShift, betaShift);
        final long aTwo = EmaWord.update(aOne, a2, alphaShift, betaShift);
        final long bTwo = EmaWord.update(bOne, b2, alphaShift, betaShift);
        return new long[] {
            aTwo, bTwo,
            two(bOne, a1, a2, alphaShift, betaShift), two(bTwo, a1, a2, alphaShift, betaShift),
            two(aOne, b1, b2, alphaShift, betaShift), two(aTwo, b1, b2, alphaShift, betaShift)};
    }

    private static long two(final long from, final long s1, final long s2, final int alphaShift, final int betaShift)
    {
        return EmaWord.update(EmaWord.update(from, s1, alphaShift, betaShift), s2, alphaShift, betaShift);
    }
}
