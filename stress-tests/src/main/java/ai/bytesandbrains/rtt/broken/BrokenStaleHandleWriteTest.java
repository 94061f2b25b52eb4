package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.internal.RecordTableEvictTests;
import ai.bytesandbrains.rtt.internal.ReuseFixture;
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
 * DELIBERATELY BROKEN, must be reported FAILED: {@code RecordTableEvictTests.StaleHandleWrite} with a
 * writer that trusts its cached handle and writes the record without pinning it, so without validating the
 * generation: what a {@code SiteHandle} would do if it skipped the claim's state check. Writing after J took
 * the record, it leaves its words in J's payload. The outcome table is the real test's.
 */
@JCStressTest
@Description("BROKEN: a write through a cached handle without the generation check lands in the next occupant")
@Outcome(id = RecordTableEvictTests.STALE_WRITE_OLD, expect = ACCEPTABLE, desc = "written while K was current")
@Outcome(id = RecordTableEvictTests.STALE_WRITE_NONE, expect = ACCEPTABLE, desc = "nothing written")
@Outcome(expect = FORBIDDEN, desc = "the writer's words in J's record, a leak or an overwrite")
@State
public class BrokenStaleHandleWriteTest
{
    final ReuseFixture fixture = new ReuseFixture();

    @Actor
    public void remover()
    {
        fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        fixture.write(fixture.table.findOrInsert(ReuseFixture.J, ReuseFixture.KEY1, ReuseFixture.KEY2),
            ReuseFixture.J_A, ReuseFixture.J_B);
    }

    @Actor
    public void writer()
    {
        // BROKEN: no pin, so no check that the cached handle still names the record's occupant.
        final int offset = fixture.table.recordOffset(RecordTable.record(fixture.kHandle));
        fixture.buffer.putLongVolatile(offset + ReuseFixture.PAYLOAD_A, RecordTableEvictTests.W_A);
        fixture.buffer.putLongVolatile(offset + ReuseFixture.PAYLOAD_B, RecordTableEvictTests.W_B);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "wrote=true K=" + fixture.occupant(ReuseFixture.K) + " J=" + fixture.occupant(ReuseFixture.J) + " " +
            fixture.bookkeeping();
    }
}
