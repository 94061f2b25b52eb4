package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalPauseLog#clampEndsAfter} against the other users of a slot. The log has one slot holding
 * A = [100, 1000), a pause from a bad future read; a clamp with present 500 and cut 200 cuts A to
 * [100, 200). The clamp writes the end only while it holds the record's own odd stamp.
 */
public final class LocalPauseLogClampTests
{
    private LocalPauseLogClampTests()
    {
    }

    /** A's interval, as the whole-log measure reports it: whole, cut, or (skipped) none. */
    static String measured(final long pausedNs)
    {
        return pausedNs == 900 ? "A" : pausedNs == 100 ? "100" : pausedNs == 0 ? "none" : "0x" + Long.toHexString(pausedNs);
    }

    /**
     * A recorder replaces A with B = [300, 400), which ends before the present and must never be cut: the
     * clamp cannot write A's cut into B. Broken variant: {@code broken.BrokenPauseClampTest}.
     */
    @JCStressTest
    @Description("A clamp never writes into a record that replaced the one it cut")
    @Outcome(id = "final=B", expect = ACCEPTABLE, desc = "B replaced A (cut or not) and is intact")
    @Outcome(id = "final=A-cut-B-dropped", expect = ACCEPTABLE_INTERESTING,
        desc = "the clamp held the slot through every claim of the recorder, which dropped B (counted)")
    @Outcome(expect = FORBIDDEN, desc = "B clobbered by the clamp, or a pause lost uncounted")
    @State
    public static class ClampVersusRecord
    {
        final LocalPauseLog log = new LocalPauseLog(1);

        public ClampVersusRecord()
        {
            log.record(100, 1_000);
        }

        @Actor
        public void clamp()
        {
            log.clampEndsAfter(500, 200);
        }

        @Actor
        public void recorder()
        {
            log.record(300, 400);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final long total = log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE);
            final String state;
            if (total == 100 && log.pausedNsWithin(300, 400) == 100 && log.droppedCount() == 0)
            {
                state = "B";
            }
            else if (total == 100 && log.pausedNsWithin(100, 200) == 100 && log.droppedCount() == 1)
            {
                state = "A-cut-B-dropped";
            }
            else
            {
                state = "total=" + total + ",dropped=" + log.droppedCount();
            }
            r.r1 = "final=" + state;
        }
    }

    /** A reader racing the clamp sees A whole or cut (or skips the slot), never anything else. */
    @JCStressTest
    @Description("A reader racing a clamp sees the pause whole or cut, never torn")
    @Outcome(id = "read=A final=100 cut=1", expect = ACCEPTABLE, desc = "read before the cut")
    @Outcome(id = "read=100 final=100 cut=1", expect = ACCEPTABLE, desc = "read after the cut")
    @Outcome(id = "read=none final=100 cut=1", expect = ACCEPTABLE_INTERESTING,
        desc = "the slot was held on every read attempt: skipped, an under-count")
    @Outcome(expect = FORBIDDEN, desc = "torn read, or the cut lost")
    @State
    public static class ClampVersusRead
    {
        final LocalPauseLog log = new LocalPauseLog(1);
        long read;

        public ClampVersusRead()
        {
            log.record(100, 1_000);
        }

        @Actor
        public void clamp()
        {
            log.clampEndsAfter(500, 200);
        }

        @Actor
        public void reader()
        {
            read = log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "read=" + measured(read) + " final=" + measured(log.pausedNsWithin(Long.MIN_VALUE, Long.MAX_VALUE)) +
                " cut=" + log.clampedCount();
        }
    }
}
