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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Contract §3 clause 10 (weaker behaviour chosen for speed): the exact sample count is a separate
 * word incremented after the EMA word's CAS, so it may lag the word, but never runs ahead of it and
 * never loses an increment. The reader loads the count first, then the word.
 *
 * <p>Result: {@code count=<0|1> word=<old|new> final=<new> <n> canaries=<ok|HIT>}.
 */
@JCStressTest
@Description("Clause 10: the sample count may lag the EMA word, never leads it, never loses one")
@Outcome(id = "count=0 word=old final=new 1 canaries=ok", expect = ACCEPTABLE, desc = "read before the observe")
@Outcome(id = "count=1 word=new final=new 1 canaries=ok", expect = ACCEPTABLE, desc = "read after the observe")
@Outcome(id = "count=0 word=new final=new 1 canaries=ok", expect = ACCEPTABLE_INTERESTING,
    desc = "documented lag: the word is in, the count not yet")
@Outcome(expect = FORBIDDEN, desc = "count ahead of the word, lost increment, torn word or overwrite")
@State
public class AtomicEmaCountLagTest
{
    static final long SAMPLE = 5_000;
    static final long NEW = EmaWord.update(EmaWord.EMPTY, SAMPLE);

    final EmaCell cell = new EmaCell();
    long seenCount;
    long seenWord;

    @Actor
    public void writer()
    {
        cell.observe(SAMPLE);
    }

    @Actor
    public void reader()
    {
        seenCount = cell.count();
        seenWord = cell.word();
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "count=" + seenCount +
            " word=" + Outcomes.name(seenWord, new long[]{EmaWord.EMPTY, NEW}, new String[]{"old", "new"}) +
            " final=" + Outcomes.name(cell.word(), NEW, "new") + " " + cell.count() +
            " canaries=" + cell.canaries();
    }
}
