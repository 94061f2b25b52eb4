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
 * Contract §3 clause 2: a reader racing an observe sees srtt, rttvar and warm state of either the old
 * or the new state, never a mix. The reader takes srtt, rttvar and the state through the public
 * decoders of one {@link AtomicEma#word} read and re-packs them; a mixed triple prints in hex.
 *
 * <p>Result: {@code read=<old|new> final=<new> count=<n> canaries=<ok|HIT>}. The old word is warming
 * (2 samples), so the new one differs in srtt, rttvar and state.
 */
@JCStressTest
@Description("Clause 2: a reader racing an observe sees a whole old or whole new EMA state")
@Outcome(id = "read=old final=new count=3 canaries=ok", expect = ACCEPTABLE, desc = "read before the observe")
@Outcome(id = "read=new final=new count=3 canaries=ok", expect = ACCEPTABLE, desc = "read after the observe")
@Outcome(expect = FORBIDDEN, desc = "torn read, lost update or overwrite")
@State
public class AtomicEmaReadTest
{
    static final long SEED = 2_000;
    static final long SAMPLE = 9_000;
    static final long OLD = EmaCell.seededWord(SEED, SEED);
    static final long NEW = EmaWord.update(OLD, SAMPLE);

    static
    {
        Outcomes.requireDistinct(EmaWord.srttNs(OLD), EmaWord.srttNs(NEW), "old and new srtt");
        Outcomes.requireDistinct(EmaWord.rttvarNs(OLD), EmaWord.rttvarNs(NEW), "old and new rttvar");
        Outcomes.requireDistinct(EmaWord.state(OLD), EmaWord.state(NEW), "old and new state");
    }

    final EmaCell cell = new EmaCell(SEED, SEED);
    long seen;

    @Actor
    public void writer()
    {
        cell.observe(SAMPLE);
    }

    @Actor
    public void reader()
    {
        final long word = cell.word();
        seen = EmaWord.pack(EmaWord.state(word), EmaWord.srttNs(word), EmaWord.rttvarNs(word));
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + Outcomes.name(seen, new long[]{OLD, NEW}, new String[]{"old", "new"}) +
            " final=" + Outcomes.name(cell.word(), NEW, "new") + " count=" + cell.count() +
            " canaries=" + cell.canaries();
    }
}
