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
 * DELIBERATELY BROKEN, must be reported FAILED: {@code RecordTableEvictTests.StaleHandleRead} with a
 * reader that does not validate the generation after reading. It drives the real {@link RecordTable}
 * (a {@link ReuseFixture}: K in record 1, generation 0): one actor removes K, inserts J into the freed
 * record and writes J's payload, pinned; the reader reads K's record through the handle it found
 * before the race and trusts what it read, skipping {@link RecordTable#isCurrent}. Reading after the
 * removal began it reports the zeroed payload under K's key, or J's whole record, as K's: the mix of
 * old and new occupant that the generation check exists to reject. The outcome table is the real
 * test's (the same constants), so the same reads it rejects show up here as FORBIDDEN outcomes.
 */
@JCStressTest
@Description("BROKEN: a stale handle read without the generation check reports the next occupant's data")
@Outcome(id = RecordTableEvictTests.STALE_READ_OLD, expect = ACCEPTABLE, desc = "read before the removal began, validated")
@Outcome(id = RecordTableEvictTests.STALE_READ_NONE, expect = ACCEPTABLE, desc = "the generation moved on: the read is rejected")
@Outcome(expect = FORBIDDEN, desc = "the next occupant's or zeroed data accepted under K's handle, leak or overwrite")
@State
public class BrokenStaleHandleReadTest
{
    final ReuseFixture fixture = new ReuseFixture();
    String read;

    @Actor
    public void remover()
    {
        fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        fixture.write(fixture.table.findOrInsert(ReuseFixture.J, ReuseFixture.KEY1, ReuseFixture.KEY2),
            ReuseFixture.J_A, ReuseFixture.J_B);
    }

    @Actor
    public void reader()
    {
        read = fixture.read(RecordTable.record(fixture.kHandle)); // BROKEN: no isCurrent(kHandle) after the reads
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " K=" + fixture.occupant(ReuseFixture.K) + " J=" +
            fixture.occupant(ReuseFixture.J) + " " + fixture.bookkeeping();
    }
}
