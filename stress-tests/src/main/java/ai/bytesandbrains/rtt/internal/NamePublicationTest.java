package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.state.TrackerReader;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.nio.charset.StandardCharsets;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The name table's publication ({@link NameTable}): one thread names a new site (A) while another reads its
 * name through {@link TrackerReader#readName}, the read path of the tracker and its file reader, and then
 * names the same site itself (B). Two actors, so that it runs on two cores. A namer claims the slot with
 * one CAS of its key; the winner writes 102 bytes, then the length with a release store; the reader loads
 * the key, the length with acquire, then the bytes.
 *
 * <p>Whole states possible: the read sees no name yet (then A or B wins the slot), or A's whole name (then A
 * won, and B, finding the key, writes nothing). Forbidden: a name with bytes not yet written or of the other
 * namer ({@code torn}), a name that changes after it was read, two slots for one site, a dropped name, a
 * namer told the site has no name, or a neighbouring name disturbed (the canary site's, named at
 * construction).
 *
 * <p>Result: {@code read=<none|A> final=<A|B> slots=2 dropped=0 named=true,true canary=ok}. The outcome
 * table is shared, constant by constant, with {@code broken.BrokenNamePublicationTest}.
 */
@JCStressTest
@Description("Named peers: a reader sees no name or a whole one, and racing namers of one site end with one")
@Outcome(id = NamePublicationTest.NONE, expect = ACCEPTABLE, desc = "not yet published")
@Outcome(id = NamePublicationTest.A, expect = ACCEPTABLE, desc = "A's whole name, which stays")
@Outcome(expect = FORBIDDEN, desc = "a torn or changed name, two slots, a drop, or the canary disturbed")
@State
public class NamePublicationTest
{
    /** Final state every acceptable outcome ends with. */
    public static final String FINAL = " slots=2 dropped=0 named=true,true canary=ok";
    /** Nothing published yet when read; one namer wins all the same. */
    public static final String NONE = "read=none final=(A|B)" + FINAL;
    /** A's name seen whole, and kept. */
    public static final String A = "read=A final=A" + FINAL;

    /** The site both name. */
    public static final long SITE = 0x5A4E_0001L;
    /** A's name: long, so a torn read has room to show. */
    public static final String NAME_A = "a".repeat(100) + ":1";
    /** B's name, as long as A's. */
    public static final String NAME_B = "b".repeat(100) + ":2";
    static final long CANARY_SITE = 0xCA11_AB1EL;
    static final String CANARY_NAME = "10.0.0.1:50051";

    final RttTracker tracker = RttTracker.builder().siteCapacity(2).edgeCapacity(2).chainCapacity(2)
        .reportedCapacity(2).historyCapacity(2).build();
    final TrackerReader reader = tracker.reader();
    final byte[] bytes = new byte[NameTable.MAX_NAME_BYTES];
    boolean namedA;
    boolean namedB;
    String read;

    public NamePublicationTest()
    {
        tracker.nameSite(CANARY_SITE, CANARY_NAME);
    }

    @Actor
    public void namerA()
    {
        namedA = tracker.nameSite(SITE, NAME_A);
    }

    @Actor
    public void readerThenNamerB()
    {
        read = classify(bytes, reader.readName(SITE, bytes));
        namedB = tracker.nameSite(SITE, NAME_B);
    }

    @Arbiter
    public void arbiter(final L_Result r)
    {
        r.r1 = "read=" + read + " final=" + classify(bytes, reader.readName(SITE, bytes)) +
            " slots=" + claimedSlots(tracker) + " dropped=" + tracker.droppedNameCount() +
            " named=" + namedA + "," + namedB +
            " canary=" + (CANARY_NAME.equals(tracker.siteName(CANARY_SITE)) ? "ok" : "HIT");
    }

    /**
     * @param bytes  a name's bytes.
     * @param length how many.
     * @return {@code none}, {@code A}, {@code B}, else {@code torn:<length>:<the bytes, a NUL shown as 0>}.
     */
    public static String classify(final byte[] bytes, final int length)
    {
        if (length == 0)
        {
            return "none";
        }
        final String name = new String(bytes, 0, length, StandardCharsets.UTF_8);
        return NAME_A.equals(name) ? "A" : NAME_B.equals(name) ? "B" :
            "torn:" + length + ":" + name.replace('\0', '0');
    }

    /** @return slots whose key is claimed. */
    private static int claimedSlots(final RttTracker tracker)
    {
        final NameTable names = tracker.tables().names();
        final AtomicBuffer buffer = tracker.buffer();
        int claimed = 0;
        for (int slot = 0; slot < names.slotCount(); slot++)
        {
            if (buffer.getLongVolatile(names.slotOffset(slot) + NameTable.KEY_OFFSET) != 0)
            {
                claimed++;
            }
        }
        return claimed;
    }
}
