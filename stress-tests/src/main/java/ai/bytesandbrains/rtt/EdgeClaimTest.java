package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.state.EmaRecord;
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
 * Edge claims through the tracker: two observes of one site on one chain and hop race. When they overlap,
 * one holds the edge's claim and the other finds it claimed, pins it and counts on its contended word;
 * either way both samples reach the edge EMA, the count (cell plus contended word) is exact and the
 * claim is free again. {@code contended=} reports how many took the pinned path.
 */
@JCStressTest
@Description("Edge claims: racing observes of one edge, claimed or pinned, keep its EMA and count exact")
@Outcome(id = "ema=(e1e2|e2e1) count=3 claim=free contended=0", expect = ACCEPTABLE,
    desc = "no overlap on the edge: each observe claimed it in turn")
@Outcome(id = "ema=(e1e2|e2e1) count=3 claim=free contended=1", expect = ACCEPTABLE_INTERESTING,
    desc = "overlap: one observe found the edge claimed and took the pinned path")
@Outcome(expect = FORBIDDEN, desc = "lost sample or count, claim left held")
@State
public class EdgeClaimTest
{
    static final long SITE = 83;
    static final long CHAIN = ChainIds.fromTargets("edge-claim");
    static final int HOP = 2;
    static final long SEED = 2_000;
    static final long E1 = 1_000;
    static final long E2 = 9_000;
    static final long SEEDED = EmaWord.update(EmaWord.EMPTY, SEED);
    static final long[] ORDERS = {EmaWord.update(EmaWord.update(SEEDED, E1), E2), EmaWord.update(EmaWord.update(SEEDED, E2), E1)};

    static
    {
        Outcomes.requireDistinct(ORDERS[0], ORDERS[1], "the two orders");
    }

    final TrackerFixture fixture = new TrackerFixture();

    public EdgeClaimTest()
    {
        fixture.tracker.observeRoundTrip(SITE, CHAIN, HOP, SEED, 1_000);
    }

    @Actor
    public void first()
    {
        fixture.tracker.observeRoundTrip(SITE, CHAIN, HOP, E1, 2_000);
    }

    @Actor
    public void second()
    {
        fixture.tracker.observeRoundTrip(SITE, CHAIN, HOP, E2, 4_000);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        final int record = RecordTable.record(fixture.edges.find(SITE, CHAIN, HOP));
        final int offset = fixture.edges.recordOffset(record);
        r.r1 = "ema=" + Outcomes.name(fixture.emaWord(fixture.edges, record), ORDERS, new String[]{"e1e2", "e2e1"}) +
            " count=" + fixture.emaCount(fixture.edges, record) +
            " claim=" + (fixture.buffer.getLongVolatile(offset + EmaRecord.EDGE_CLAIM_OFFSET) == 0 ? "free" : "HELD") +
            " contended=" + fixture.buffer.getLongVolatile(offset + EmaRecord.EDGE_CONTENDED_COUNT_OFFSET);
    }
}
