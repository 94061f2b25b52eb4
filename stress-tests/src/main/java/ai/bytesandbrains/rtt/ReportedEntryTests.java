package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.stress.Outcomes;
import ai.bytesandbrains.rtt.internal.RecordTable;
import ai.bytesandbrains.rtt.view.EmaView;
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
 * Contract §3 clauses 8 and 10 on one existing reported entry. {@code AtomicEma.overwrite} is two
 * release stores (word, then count): the word is always one whole report, but racing reports may leave
 * the word of one and the count of the other. That weaker behaviour is pinned exactly: mixed final
 * states are ACCEPTABLE_INTERESTING, anything else is FORBIDDEN.
 *
 * <p>Words are named {@code r0} (the report stored before the race), {@code r1}, {@code r2}; counts
 * {@code c0}, {@code c1}, {@code c2}.
 */
public final class ReportedEntryTests
{
    static final long FROM = 41;
    static final long NEXT = 42;
    static final long CHAIN = 0xC4A1_0000_0000_0002L;
    static final long[] SRTT = {500, 1_000, 7_000};
    static final long[] RTTVAR = {100, 300, 900};
    static final long[] COUNT = {9, 5, 2};
    static final long[] WORDS = new long[3];

    static
    {
        for (int i = 0; i < 3; i++)
        {
            WORDS[i] = EmaWord.pack(COUNT[i], SRTT[i], RTTVAR[i]);
        }
    }

    private ReportedEntryTests()
    {
    }

    /**
     * @return {@code records=<n> word=<r..> count=<c..>} for the entry; names index {@code words} from
     * {@code r<first>} where the arrays hold reports 1 and 2 ({@code length 2}) or 0, 1, 2 (length 3).
     */
    static String entry(
        final TrackerFixture fixture, final long from, final long next, final long chain,
        final long[] words, final long[] counts)
    {
        final int record = RecordTable.record(fixture.reported.find(from, next, chain));
        if (record == RecordTable.NOT_FOUND)
        {
            return "records=0";
        }
        final String[] wordNames = names("r", words.length);
        final String[] countNames = names("c", counts.length);
        return "records=" + TrackerFixture.recordsWithKey(fixture.reported, from, next, chain) +
            " word=" + Outcomes.name(fixture.emaWord(fixture.reported, record), words, wordNames) +
            " count=" + Outcomes.name(fixture.emaCount(fixture.reported, record), counts, countNames);
    }

    private static String[] names(final String prefix, final int length)
    {
        final String[] names = new String[length];
        for (int i = 0; i < length; i++)
        {
            names[i] = prefix + (i + 3 - length);
        }
        return names;
    }

    static TrackerFixture seeded()
    {
        final TrackerFixture fixture = new TrackerFixture();
        fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, SRTT[0], RTTVAR[0], COUNT[0]);
        return fixture;
    }

    /** Two reports of an existing entry race. */
    @JCStressTest
    @Description("Clauses 8, 10: racing reports of one entry leave a whole word; the count may be the other's")
    @Outcome(id = "records=1 word=r([12]) count=c\\1 canary=ok", expect = ACCEPTABLE,
        desc = "word and count of the same report")
    @Outcome(id = "records=1 (word=r1 count=c2|word=r2 count=c1) canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: whole word of one report, count of the other")
    @Outcome(expect = FORBIDDEN, desc = "old report survived, torn word, second record or overwrite")
    @State
    public static class IngestVsIngest
    {
        final TrackerFixture fixture = seeded();

        @Actor
        public void actor1()
        {
            fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, SRTT[1], RTTVAR[1], COUNT[1]);
        }

        @Actor
        public void actor2()
        {
            fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, SRTT[2], RTTVAR[2], COUNT[2]);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = entry(fixture, FROM, NEXT, CHAIN, WORDS, COUNT) + " canary=" + fixture.canary();
        }
    }

    /**
     * A reader ({@link RttTracker#readReported}) racing a report of an existing entry. The reader loads
     * the count first and the word second (both volatile, see {@code RttTracker.fillEma}); the report is
     * {@code AtomicEma.overwrite}: a release store of the word, then a release store of the count. So a
     * reader that sees the new count {@code c1} also sees the new word {@code r1}: {@code read=r0 c1}
     * (old word with the new count) is FORBIDDEN. The converse, the new word with the old count, is the
     * documented lag of the count behind the word (ACCEPTABLE_INTERESTING).
     */
    @JCStressTest
    @Description("Clause 8: a read racing a report sees a whole old or new word, and a count never newer than it")
    @Outcome(id = "read=r0 c0 final=r1 c1 canary=ok", expect = ACCEPTABLE, desc = "read before the report")
    @Outcome(id = "read=r1 c1 final=r1 c1 canary=ok", expect = ACCEPTABLE, desc = "read after the report")
    @Outcome(id = "read=r1 c0 final=r1 c1 canary=ok", expect = ACCEPTABLE_INTERESTING,
        desc = "documented: count read before the report's count store, word after its word store")
    @Outcome(expect = FORBIDDEN, desc = "new count with the old word, torn word, lost report or overwrite")
    @State
    public static class IngestVsRead
    {
        final TrackerFixture fixture = seeded();
        final EmaView view = new EmaView();
        String seen;

        @Actor
        public void writer()
        {
            fixture.tracker.ingestReportedOutgoing(FROM, NEXT, CHAIN, SRTT[1], RTTVAR[1], COUNT[1]);
        }

        @Actor
        public void reader()
        {
            if (!fixture.tracker.readReported(FROM, NEXT, CHAIN, view))
            {
                seen = "absent";
                return;
            }
            seen = Outcomes.name(view.word(), WORDS, new String[]{"r0", "r1", "r2"}) + " " +
                Outcomes.name(view.sampleCount(), COUNT, new String[]{"c0", "c1", "c2"});
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final int record = RecordTable.record(fixture.reported.find(FROM, NEXT, CHAIN));
            r.r1 = "read=" + seen + " final=" +
                Outcomes.name(fixture.emaWord(fixture.reported, record), WORDS, new String[]{"r0", "r1", "r2"}) + " " +
                Outcomes.name(fixture.emaCount(fixture.reported, record), COUNT, new String[]{"c0", "c1", "c2"}) +
                " canary=" + fixture.canary();
        }
    }
}
