package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import ai.bytesandbrains.rtt.internal.RecordTable;
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
 * Contract §3 clause 5: two threads inserting the same new site, edge, chain or reported entry end with
 * exactly one record for it, holding both samples (or one whole report), with no overflow counted and
 * the neighbouring canary site untouched.
 *
 * <p>Results name the number of live records with the key ({@code records=1}), the EMA in it (both
 * orders computed with the real {@link EmaWord}) and its count, the overflow and rejected counters,
 * and the canary.
 */
public final class SameKeyInsertTests
{
    static final long SITE = 21;
    static final long SITE2 = 22;
    static final long CHAIN = 0xC4A1_0000_0000_0001L;
    static final long E1 = 1_000;
    static final long E2 = 3_000;
    static final String[] ORDER_NAMES = {"e1e2", "e2e1", "e1", "e2"};
    /** Both samples in either order; or, for a chain prior, one stripe's single sample (StripedPrior). */
    static final long[] ORDERS = {
        EmaWord.update(EmaWord.update(EmaWord.EMPTY, E1), E2),
        EmaWord.update(EmaWord.update(EmaWord.EMPTY, E2), E1),
        EmaWord.update(EmaWord.EMPTY, E1),
        EmaWord.update(EmaWord.EMPTY, E2)};

    static
    {
        Outcomes.requireAllDistinct(ORDERS, "the orders and single samples");
    }

    private SameKeyInsertTests()
    {
    }

    static String ema(final TrackerFixture fixture, final RecordTable table, final long k0, final long k1, final long k2)
    {
        final int record = RecordTable.record(table.find(k0, k1, k2));
        if (record == RecordTable.NOT_FOUND)
        {
            return "records=0";
        }
        return "records=" + TrackerFixture.recordsWithKey(table, k0, k1, k2) +
            " ema=" + Outcomes.name(fixture.emaWord(table, record), ORDERS, ORDER_NAMES) +
            " count=" + fixture.emaCount(table, record);
    }

    /** Both threads observe the same new site. */
    @JCStressTest
    @Description("Clause 5: two first observes of one site make one record with both samples")
    @Outcome(id = "records=1 ema=(e1e2|e2e1) count=2 sites=2 overflow=0,0,0,0,0 canary=ok", expect = ACCEPTABLE,
        desc = "one record, both samples in some order")
    @Outcome(expect = FORBIDDEN, desc = "two records, lost sample, overflow or overwrite")
    @State
    public static class Site
    {
        final TrackerFixture fixture = new TrackerFixture();

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(SITE, E1, 100);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(SITE, E2, 200);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final int record = RecordTable.record(fixture.sites.find(SITE, 0, 0));
            final String ema = record == RecordTable.NOT_FOUND ? "records=0" :
                "records=" + TrackerFixture.recordsWithKey(fixture.sites, SITE, 0, 0) +
                " ema=" + Outcomes.name(fixture.siteWord(SITE), ORDERS, ORDER_NAMES) +
                " count=" + fixture.siteCount(SITE);
            r.r1 = ema + " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " canary=" + fixture.canary();
        }
    }

    /**
     * Both threads observe the same new edge (so also the same new site and chain); the site's record
     * must hold both samples too.
     */
    @JCStressTest
    @Description("Clause 5: two first observes of one edge make one edge, site and chain record")
    @Outcome(id = "edge records=1 ema=(e1e2|e2e1) count=2 chain records=1 ema=(e1e2|e2e1) count=2 " +
        "site ema=(e1e2|e2e1) count=2 sites=2 overflow=0,0,0,0,0 canary=ok", expect = ACCEPTABLE,
        desc = "one record each, both samples")
    @Outcome(id = "edge records=1 ema=(e1e2|e2e1) count=2 chain records=1 ema=(e1|e2) count=2 " +
        "site ema=(e1e2|e2e1) count=2 sites=2 overflow=0,0,0,0,0 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented (striped priors): both threads' chain stripes joined from the empty prior; the published " +
            "word is the last publisher's single sample, the count has both")
    @Outcome(expect = FORBIDDEN, desc = "two records, lost sample, overflow or overwrite")
    @State
    public static class Edge
    {
        final TrackerFixture fixture = new TrackerFixture();

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(SITE, CHAIN, 3, E1, 100);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(SITE, CHAIN, 3, E2, 200);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "edge " + ema(fixture, fixture.edges, SITE, CHAIN, 3) +
                " chain " + ema(fixture, fixture.chains, CHAIN, 0, 0) +
                " site ema=" + Outcomes.name(fixture.siteWord(SITE), ORDERS, ORDER_NAMES) +
                " count=" + fixture.siteCount(SITE) +
                " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " canary=" + fixture.canary();
        }
    }

    /** Two different sites (so two different edges) first observe the same new chain. */
    @JCStressTest
    @Description("Clause 5: two first observes of one chain from two sites make one chain record")
    @Outcome(id = "chain records=1 ema=(e1e2|e2e1) count=2 edges=2 sites=3 overflow=0,0,0,0,0 canary=ok",
        expect = ACCEPTABLE, desc = "one chain record, both samples")
    @Outcome(id = "chain records=1 ema=(e1|e2) count=2 edges=2 sites=3 overflow=0,0,0,0,0 canary=ok",
        expect = ACCEPTABLE_INTERESTING,
        desc = "documented (striped priors): both stripes joined from the empty prior; the last publisher's word")
    @Outcome(expect = FORBIDDEN, desc = "two chain records, lost sample, overflow or overwrite")
    @State
    public static class Chain
    {
        final TrackerFixture fixture = new TrackerFixture();

        @Actor
        public void actor1()
        {
            fixture.tracker.observeRoundTrip(SITE, CHAIN, 0, E1, 100);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.observeRoundTrip(SITE2, CHAIN, 1, E2, 200);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final int edges = TrackerFixture.recordsWithKey(fixture.edges, SITE, CHAIN, 0) +
                TrackerFixture.recordsWithKey(fixture.edges, SITE2, CHAIN, 1);
            r.r1 = "chain " + ema(fixture, fixture.chains, CHAIN, 0, 0) + " edges=" + edges +
                " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " canary=" + fixture.canary();
        }
    }

    /**
     * Two threads ingest the first report of the same entry. One record; its word is one whole report;
     * its count may be the other report's (clause 10, {@code AtomicEma.overwrite}: two release stores).
     */
    @JCStressTest
    @Description("Clause 5: two first reports of one entry make one record holding a whole report")
    @Outcome(id = "records=1 word=r([12]) count=c\\1 sites=2 overflow=0,0,0,0,0 canary=ok", expect = ACCEPTABLE,
        desc = "one record, word and count of the same report")
    @Outcome(id = "records=1 (word=r1 count=c2|word=r2 count=c1) sites=2 overflow=0,0,0,0,0 canary=ok",
        expect = ACCEPTABLE_INTERESTING, desc = "documented: whole word of one report, count of the other")
    @Outcome(expect = FORBIDDEN, desc = "two records, torn word, overflow or overwrite")
    @State
    public static class Reported
    {
        static final long FROM = 31;
        static final long NEXT = 32;
        static final long[] WORDS = {EmaWord.pack(5, 1_000, 300), EmaWord.pack(2, 7_000, 900)};
        static final long[] COUNTS = {5, 2};

        final TrackerFixture fixture = new TrackerFixture();

        @Actor
        public void actor1()
        {
            fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, 1_000, 300, 5);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, 7_000, 900, 2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = ReportedEntryTests.entry(fixture, FROM, NEXT, CHAIN, WORDS, COUNTS) +
                " sites=" + fixture.tracker.trackedSiteCount() + " " + fixture.counters() +
                " canary=" + fixture.canary();
        }
    }
}
