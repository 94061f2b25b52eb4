package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.AtomicEma;
import ai.bytesandbrains.rtt.internal.StripedEma;
import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.nio.ByteBuffer;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: the striped prior read by a merge that reads only the
 * first stripe, as a reader of the unstriped cell would, so the sample a thread of another stripe
 * wrote is silently lost to readers. Same state, writer and outcome table as
 * {@code internal.StripedEmaTests.WriteVsRead}.
 */
@JCStressTest
@Description("BROKEN §4 striped prior: a merge that reads one stripe loses another stripe's sample")
@Outcome(id = "read=s1 1 final=both 2 canaries=ok", expect = ACCEPTABLE, desc = "read before the write")
@Outcome(id = "read=both 1 final=both 2 canaries=ok", expect = ACCEPTABLE,
    desc = "read between the write's CAS and its count: the count lags")
@Outcome(id = "read=both 2 final=both 2 canaries=ok", expect = ACCEPTABLE, desc = "read after the write")
@Outcome(expect = FORBIDDEN, desc = "a lost or unmerged cell, a count ahead of the words, a torn word or an overwrite")
@State
public class BrokenStripedMergeTest
{
    static final long S1 = 1_000;
    static final long S2 = 30_000;
    static final int OFFSET = Long.BYTES;
    static final int AFTER_OFFSET = OFFSET + StripedEma.LENGTH;
    static final long ONLY_S1 = global(S1);
    static final long ONLY_S2 = global(S2);
    static final long BOTH = bothMerged();

    final AtomicBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AFTER_OFFSET + Long.BYTES));
    String read;

    public BrokenStripedMergeTest()
    {
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(AFTER_OFFSET, Outcomes.CANARY);
        observe(buffer, OFFSET, 0, S1);
    }

    static long global(final long sample)
    {
        return EmaWord.update(EmaWord.EMPTY, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
    }

    static void observe(final AtomicBuffer buffer, final int offset, final int stripe, final long sample)
    {
        StripedEma.observe(buffer, offset, stripe, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
    }

    private static long bothMerged()
    {
        final AtomicBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(StripedEma.LENGTH));
        observe(scratch, 0, 0, S1);
        observe(scratch, 0, 1, S2);
        return StripedEma.word(scratch, 0);
    }

    static String name(final long word)
    {
        return Outcomes.name(word, new long[]{EmaWord.EMPTY, ONLY_S1, ONLY_S2, BOTH}, new String[]{"none", "s1", "s2", "both"});
    }

    /** THE BUG: only the first stripe's count and word, as a reader of an unstriped prior reads them. */
    private String brokenRead()
    {
        final long count = AtomicEma.sampleCount(buffer, StripedEma.cellOffset(OFFSET, 0));
        return name(AtomicEma.word(buffer, StripedEma.cellOffset(OFFSET, 0))) + " " + count;
    }

    @Actor
    public void writer()
    {
        observe(buffer, OFFSET, 1, S2);
    }

    @Actor
    public void reader()
    {
        read = brokenRead();
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " final=" + brokenRead() + " canaries=" +
            Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(AFTER_OFFSET));
    }
}
