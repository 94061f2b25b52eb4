package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: the history's claim split without the claim. Two writers
 * both take the claimant's path ({@link HeartbeatHistory#recordClaimedAt}: plain loads and release
 * stores of {@code completed} and {@code sum}), as two observes would if a site's claim were not
 * exclusive, so one's count or sum update can be lost. Same outcome table as
 * {@code phi.ClaimedHistoryTests.ClaimantVersusContended}.
 */
@JCStressTest
@Description("BROKEN claim split: two writers on the claimant's plain path lose a count or a sum update")
@Outcome(id = "ring=1000,5000,300 sum=ring claimed=5 completed=5", expect = ACCEPTABLE, desc = "actor1 first")
@Outcome(id = "ring=5000,1000,300 sum=ring claimed=5 completed=5", expect = ACCEPTABLE, desc = "actor2 first")
@Outcome(expect = FORBIDDEN, desc = "lost count or sum update")
@State
public class BrokenClaimedHistoryTest
{
    static final int CAPACITY = 3;
    static final int CONTROL = 0;
    static final int RING = HeartbeatHistory.CONTROL_LENGTH;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[RING + CAPACITY * Long.BYTES]);

    public BrokenClaimedHistoryTest()
    {
        HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, 100);
        HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, 200);
        HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, 300);
    }

    private void recordAsIfClaimed(final long value)
    {
        HeartbeatHistory.recordClaimedAt(buffer, RecordMemory.base(buffer),
            RecordMemory.address(buffer, CONTROL, HeartbeatHistory.CONTROL_LENGTH), RING, CAPACITY,
            HeartbeatHistory.maxValueNs(CAPACITY), value);
    }

    @Actor
    public void actor1()
    {
        recordAsIfClaimed(1_000);
    }

    @Actor
    public void actor2()
    {
        recordAsIfClaimed(5_000);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final StringBuilder ring = new StringBuilder("ring=");
        long ringSum = 0;
        for (int i = 0; i < CAPACITY; i++)
        {
            final long value = buffer.getLongVolatile(RING + i * Long.BYTES);
            ring.append(i == 0 ? "" : ",").append(value);
            ringSum += value;
        }
        final long sum = HeartbeatHistory.sumVolatile(buffer, CONTROL);
        r.r1 = ring + " sum=" + (sum == ringSum ? "ring" : Long.toString(sum)) +
            " claimed=" + buffer.getLongVolatile(CONTROL + HeartbeatHistory.CLAIMED_OFFSET) +
            " completed=" + HeartbeatHistory.completedVolatile(buffer, CONTROL);
    }
}
