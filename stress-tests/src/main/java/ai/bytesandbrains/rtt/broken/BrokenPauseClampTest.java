package ai.bytesandbrains.rtt.broken;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.util.concurrent.atomic.AtomicLongArray;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: the pause log's clamp without taking the slot's stamp.
 * It checks the record (stamp, start, end, stamp again, as a reader) and then stores the cut end with a
 * plain volatile store, so a recorder that replaces the record between the check and the store gets A's
 * cut end written into its own record: B = [300, 400) becomes the inverted [300, 200) and its pause is
 * lost. One slot laid out as in {@code LocalPauseLog} (stamp, start, end; 2k + 1 writing, 2k + 2 done);
 * the outcomes are those of {@code LocalPauseLogClampTests.ClampVersusRecord}, whose recorder cannot drop here.
 */
@JCStressTest
@Description("BROKEN: a clamp that checks then writes without holding the stamp clobbers a new record")
@Outcome(id = "final=B", expect = ACCEPTABLE, desc = "B intact")
@Outcome(expect = FORBIDDEN, desc = "B clobbered by the clamp")
@State
public class BrokenPauseClampTest
{
    static final int STAMP = 0;
    static final int START = 1;
    static final int END = 2;

    final AtomicLongArray slot = new AtomicLongArray(3);

    public BrokenPauseClampTest()
    {
        slot.set(START, 100);
        slot.set(END, 1_000);
        slot.set(STAMP, 2); // record 0 complete: A = [100, 1000)
    }

    @Actor
    public void clamp()
    {
        final long stamp = slot.getAcquire(STAMP);
        final long start = slot.getAcquire(START);
        final long end = slot.getAcquire(END);
        if ((stamp & 1) == 0 && slot.getAcquire(STAMP) == stamp && end > 500)
        {
            slot.setRelease(END, Math.max(start, Math.min(end, 200))); // BROKEN: the slot is not held
        }
    }

    @Actor
    public void recorder()
    {
        final long stamp = slot.get(STAMP);
        if (slot.compareAndSet(STAMP, stamp, 3)) // record 1 takes the slot
        {
            slot.setRelease(START, 300);
            slot.setRelease(END, 400);
            slot.setRelease(STAMP, 4);
        }
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "final=" + (slot.get(STAMP) == 4 && slot.get(START) == 300 && slot.get(END) == 400 ? "B" :
            "[" + slot.get(START) + "," + slot.get(END) + ")@" + slot.get(STAMP));
    }
}
