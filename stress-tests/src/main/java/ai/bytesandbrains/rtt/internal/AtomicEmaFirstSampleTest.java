package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.ema.EmaWord;

import ai.bytesandbrains.rtt.stress.Outcomes;
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
 * Contract §3 clause 3: two observers on a cold EMA initialise it exactly once. Each actor keeps the
 * word its {@link AtomicEma#observe} installed: exactly one of them must be the first-sample word
 * {@code update(EMPTY, own sample)} and the other the second step on top of it, and the final word
 * and count must be the matching order's.
 *
 * <p>Result: {@code init=<actor1|actor2|...> final=<order> count=<n> canaries=<ok|HIT>}.
 */
@JCStressTest
@Description("Clause 3: a cold EMA is initialised exactly once by racing first samples")
@Outcome(id = "init=actor1 final=s1s2 count=2 canaries=ok", expect = ACCEPTABLE, desc = "actor1 initialised, actor2 stepped")
@Outcome(id = "init=actor2 final=s2s1 count=2 canaries=ok", expect = ACCEPTABLE, desc = "actor2 initialised, actor1 stepped")
@Outcome(expect = FORBIDDEN, desc = "both or neither initialised, lost count, or overwrite")
@State
public class AtomicEmaFirstSampleTest
{
    static final long S1 = 1_000;
    static final long S2 = 3_000;
    static final long INIT1 = EmaWord.update(EmaWord.EMPTY, S1);
    static final long INIT2 = EmaWord.update(EmaWord.EMPTY, S2);
    static final long S1S2 = EmaWord.update(INIT1, S2);
    static final long S2S1 = EmaWord.update(INIT2, S1);

    static
    {
        Outcomes.requireDistinct(S1S2, S2S1, "the two orders");
    }

    final EmaCell cell = new EmaCell();
    long installed1;
    long installed2;

    @Actor
    public void actor1()
    {
        installed1 = cell.observe(S1);
    }

    @Actor
    public void actor2()
    {
        installed2 = cell.observe(S2);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final String init;
        if (installed1 == INIT1 && installed2 == S1S2)
        {
            init = "actor1";
        }
        else if (installed2 == INIT2 && installed1 == S2S1)
        {
            init = "actor2";
        }
        else
        {
            init = "0x" + Long.toHexString(installed1) + "/0x" + Long.toHexString(installed2);
        }
        r.r1 = "init=" + init +
            " final=" + Outcomes.name(cell.word(), new long[]{S1S2, S2S1}, new String[]{"s1s2", "s2s1"}) +
            " count=" + cell.count() + " canaries=" + cell.canaries();
    }
}
