package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.internal.StripedEma;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The global prior a test expects, computed with the real {@link StripedEma} on a scratch buffer: the
 * tracker's global prior is striped by writing thread, so a sample lands in the cell of the thread that
 * observed it ({@link StripedEma#stripe}), and what a reader sees is the merge of the cells. Tests record
 * each writer's stripe (the fixture's constructing thread, each actor) and replay the samples here.
 */
final class GlobalModel
{
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(StripedEma.LENGTH));

    /** @return the current thread's stripe of the global prior. */
    static int stripe()
    {
        return StripedEma.stripe(Thread.currentThread());
    }

    /**
     * Apply samples, in order, to one stripe with the global prior's shifts.
     *
     * @return this model.
     */
    GlobalModel observe(final int stripe, final long... samples)
    {
        for (final long sample : samples)
        {
            StripedEma.observe(
                scratch, 0, stripe, sample, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
        }
        return this;
    }

    /** @return the merged word a reader of the tracker would see. */
    long word()
    {
        return StripedEma.word(scratch, 0);
    }
}
