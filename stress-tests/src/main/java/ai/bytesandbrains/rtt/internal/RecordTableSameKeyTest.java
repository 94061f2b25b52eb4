package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.BufferUtil;
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
 * Contract §3 clauses 5 and 9 on {@link RecordTable} itself: two {@code findOrInsert} of the same new
 * key return the same record, publish it once, and a loser's reserved record goes back to the free
 * list, so no capacity leaks: after the race, the arbiter fills the table (capacity 4, one canary
 * record inserted before) and must get exactly two more records, then one counted overflow.
 *
 * <p>Result: {@code same=<yes|no> records=<n> refill=<n> size=<n> overflow=<n> canary=<ok|HIT>}.
 */
@JCStressTest
@Description("Clauses 5, 9: same-key inserts publish one record; a loser's record is recycled, none leak")
@Outcome(id = "same=yes records=1 refill=2 size=4 overflow=1 canary=ok", expect = ACCEPTABLE,
    desc = "one record; capacity intact")
@Outcome(expect = FORBIDDEN, desc = "two records, different answers, leaked capacity, miscount or overwrite")
@State
public class RecordTableSameKeyTest
{
    static final int CAPACITY = 4;
    static final int RECORD_LENGTH = RecordTable.PAYLOAD_OFFSET + Long.BYTES;
    static final int CONTROL_OFFSET = Long.BYTES;
    static final long KEY = 0xBEEF;
    static final long CANARY_KEY = 0xCA11;

    final AtomicBuffer buffer;
    final RecordTable table;
    final int tailOffset;
    int record1;
    int record2;

    public RecordTableSameKeyTest()
    {
        final int length = (int)RecordTable.regionLength(CAPACITY, RECORD_LENGTH);
        tailOffset = CONTROL_OFFSET + length;
        // Direct and 64-byte aligned: RecordTable verifies alignment, which a byte[] buffer fails.
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(tailOffset + Long.BYTES, 64));
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(tailOffset, Outcomes.CANARY);
        table = new RecordTable(buffer, CONTROL_OFFSET, CAPACITY, RECORD_LENGTH);
        final int canary = RecordTable.record(table.findOrInsert(CANARY_KEY, 1, 2));
        buffer.putLong(table.recordOffset(canary) + RecordTable.PAYLOAD_OFFSET, Outcomes.CANARY);
    }

    @Actor
    public void actor1()
    {
        record1 = RecordTable.record(table.findOrInsert(KEY, 7, 8));
    }

    @Actor
    public void actor2()
    {
        record2 = RecordTable.record(table.findOrInsert(KEY, 7, 8));
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        int records = 0;
        for (int i = 0; i < table.highWaterMark(); i++)
        {
            if (table.isLive(i) && table.key0(i) == KEY && table.key1(i) == 7 && table.key2(i) == 8)
            {
                records++;
            }
        }
        final String same = record1 == record2 && record1 != RecordTable.NOT_FOUND &&
            RecordTable.record(table.find(KEY, 7, 8)) == record1 ? "yes" : "no:" + record1 + "," + record2;
        int refill = 0;
        for (long key = 100; key < 103; key++)
        {
            if (table.findOrInsert(key, 0, 0) != RecordTable.NOT_FOUND)
            {
                refill++;
            }
        }
        final int canary = RecordTable.record(table.find(CANARY_KEY, 1, 2));
        final String canaries = canary == RecordTable.NOT_FOUND ? "HIT" : Outcomes.canaries(
            buffer.getLongVolatile(0), buffer.getLongVolatile(tailOffset),
            buffer.getLongVolatile(table.recordOffset(canary) + RecordTable.PAYLOAD_OFFSET));
        r.r1 = "same=" + same + " records=" + records + " refill=" + refill + " size=" + table.size() +
            " overflow=" + table.overflowCount() + " canary=" + canaries;
    }
}
