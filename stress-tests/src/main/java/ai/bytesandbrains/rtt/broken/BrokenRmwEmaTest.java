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
 * DELIBERATELY BROKEN, must be reported FAILED: clause 1 with the CAS loop replaced by a volatile
 * read-modify-write (read word, {@link EmaWord#update}, volatile store), so one of two racing samples
 * can be lost. Same outcome table as {@code AtomicEmaObserveTests.Warm}.
 */
@JCStressTest
@Description("BROKEN clause 1: non-CAS read-modify-write of the EMA word loses updates")
@Outcome(id = "word=s1s2 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S1 then S2")
@Outcome(id = "word=s2s1 count=2 canaries=ok", expect = ACCEPTABLE, desc = "S2 then S1")
@Outcome(expect = FORBIDDEN, desc = "lost update, torn word, lost count or overwrite")
@State
public class BrokenRmwEmaTest
{
    static final long S1 = 1_000;
    static final long S2 = 3_000;
    static final long SEED = 2_000;
    static final long SEEDED = EmaWord.update(EmaWord.update(EmaWord.update(EmaWord.EMPTY, SEED), SEED), SEED);
    static final long[] ORDERS = {
        EmaWord.update(EmaWord.update(SEEDED, S1), S2), EmaWord.update(EmaWord.update(SEEDED, S2), S1)};

    final AtomicBuffer buffer = new UnsafeBuffer(new byte[32]);

    public BrokenRmwEmaTest()
    {
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(8, SEEDED);
        buffer.putLong(24, Outcomes.CANARY);
    }

    private void brokenObserve(final long sample)
    {
        final long word = buffer.getLongVolatile(8);
        buffer.putLongVolatile(8, EmaWord.update(word, sample)); // BROKEN: no CAS
        buffer.getAndAddLong(16, 1);
    }

    @Actor
    public void actor1()
    {
        brokenObserve(S1);
    }

    @Actor
    public void actor2()
    {
        brokenObserve(S2);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "word=" + Outcomes.name(buffer.getLongVolatile(8), ORDERS, new String[]{"s1s2", "s2s1"}) +
            " count=" + buffer.getLongVolatile(16) +
            " canaries=" + Outcomes.canaries(buffer.getLongVolatile(0), buffer.getLongVolatile(24));
    }
}
