package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.ema.EmaWord;
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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * DELIBERATELY BROKEN, must be reported FAILED: clause 2 with the EMA kept in two separately written
 * words ({@code state|srtt} and {@code rttvar}), each stored with volatile semantics. A reader can see
 * srtt of the new state with rttvar of the old one. Same outcome table as {@code AtomicEmaReadTest}.
 */
@JCStressTest
@Description("BROKEN clause 2: EMA in two separately written words tears under a racing reader")
@Outcome(id = "read=old final=new count=3 canaries=ok", expect = ACCEPTABLE, desc = "read before the observe")
@Outcome(id = "read=new final=new count=3 canaries=ok", expect = ACCEPTABLE, desc = "read after the observe")
@Outcome(expect = FORBIDDEN, desc = "torn read, lost update or overwrite")
@State
public class BrokenTwoWordEmaTest
{
    static final long SEED = 2_000;
    static final long SAMPLE = 9_000;
    static final long OLD = EmaWord.update(EmaWord.update(EmaWord.EMPTY, SEED), SEED);
    static final long NEW = EmaWord.update(OLD, SAMPLE);
    static final int HEAD = 8;
    static final int RTTVAR = 16;
    static final int COUNT = 24;

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[40]);
    long seen;

    public BrokenTwoWordEmaTest()
    {
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(HEAD, EmaWord.pack(EmaWord.state(OLD), EmaWord.srttNs(OLD), 0));
        buffer.putLong(RTTVAR, EmaWord.rttvarNs(OLD));
        buffer.putLong(COUNT, 2);
        buffer.putLong(32, Outcomes.CANARY);
    }

    @Actor
    public void writer()
    {
        final long head = buffer.getLongVolatile(HEAD);
        final long current = EmaWord.pack(EmaWord.state(head), EmaWord.srttNs(head), buffer.getLongVolatile(RTTVAR));
        final long next = EmaWord.update(current, SAMPLE);
        buffer.putLongVolatile(HEAD, EmaWord.pack(EmaWord.state(next), EmaWord.srttNs(next), 0)); // BROKEN: two stores
        buffer.putLongVolatile(RTTVAR, EmaWord.rttvarNs(next));
        buffer.getAndAddLong(COUNT, 1);
    }

    @Actor
    public void reader()
    {
        final long head = buffer.getLongVolatile(HEAD);
        seen = EmaWord.pack(EmaWord.state(head), EmaWord.srttNs(head), buffer.getLongVolatile(RTTVAR));
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final long head = buffer.getLongVolatile(HEAD);
        final long word = EmaWord.pack(EmaWord.state(head), EmaWord.srttNs(head), buffer.getLongVolatile(RTTVAR));
        r.r1 = "read=" + Outcomes.name(seen, new long[]{OLD, NEW}, new String[]{"old", "new"}) +
            " final=" + Outcomes.name(word, NEW, "new") + " count=" + buffer.getLongVolatile(COUNT) +
            " canaries=" + Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(32));
    }
}
