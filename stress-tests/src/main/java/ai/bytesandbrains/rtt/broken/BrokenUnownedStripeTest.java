package ai.bytesandbrains.rtt.broken;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.PriorFixture;
import ai.bytesandbrains.rtt.internal.StripedPrior;
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
 * DELIBERATELY BROKEN, must be reported FAILED: the priors' stripes without ownership. Both threads write
 * stripe 0 of the global prior through the owner's path (plain load, release stores, no CAS of the owner
 * word, so neither knows of the other): a read-modify-write race that loses a sample from the word and
 * an increment from the count. With ownership, the second thread would have gone to the shared cell.
 */
@JCStressTest
@Description("BROKEN stripes: two threads plain-writing one stripe lose a sample and a count")
@Outcome(id = "word=(s1s2|s2s1) count=5", expect = ACCEPTABLE, desc = "both samples, some order")
@Outcome(expect = FORBIDDEN, desc = "lost update: a sample missing from the word or the count")
@State
public class BrokenUnownedStripeTest
{
    static final long S1 = 1_000;
    static final long S2 = 30_000;
    static final long SEED = 2_000;
    static final int GA = EmaShifts.GLOBAL_ALPHA_SHIFT;
    static final int GB = EmaShifts.GLOBAL_BETA_SHIFT;
    static final long SEEDED = update(update(update(EmaWord.EMPTY, SEED), SEED), SEED);
    static final long[] ORDERS = {update(update(SEEDED, S1), S2), update(update(SEEDED, S2), S1)};

    final PriorFixture fixture = new PriorFixture(8);

    public BrokenUnownedStripeTest()
    {
        // Three samples already in, every stripe seeded with them (as after a restart): no joining.
        StripedPrior.reseedGlobal(fixture.buffer, fixture.layout, SEEDED, 3);
    }

    static long update(final long word, final long sample)
    {
        return EmaWord.update(word, sample, GA, GB);
    }

    @Actor
    public void actor1()
    {
        fixture.prior.observeGlobal(0, S1); // BROKEN: stripe 0 without owning it
    }

    @Actor
    public void actor2()
    {
        fixture.prior.observeGlobal(0, S2); // BROKEN: stripe 0 without owning it
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "word=" + Outcomes.name(fixture.globalWord(), ORDERS, new String[]{"s1s2", "s2s1"}) +
            " count=" + fixture.globalCount();
    }
}
