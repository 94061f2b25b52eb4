package ai.bytesandbrains.rtt.internal;

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
 * {@link RecordTable} removal and reuse races, on a {@link ReuseFixture}: capacity 2, full with a
 * canary record (0) and key K (record 1, generation 0, payload {@code (K_A, K_B)}). A removal bumps the
 * record's generation, so when K's record is reused by key J the pair (record 1, generation 1) names J
 * and every handle of K (generation 0) is stale. Readers validate with {@link RecordTable#isCurrent}
 * after reading; writers pin. Each arbiter captures both keys' occupants with their whole data, then
 * size, free records, removed count, overflow count, reclaimer calls and canaries.
 */
public final class RecordTableEvictTests
{
    /** Final state after K is removed and J inserted into its freed record with J's payload. */
    public static final String REUSED = " K=gone J=1g1:J size=2 free=0 removed=1 overflow=0 reclaimed=1 canaries=ok";
    /** A reader holding K's handle read K's whole data, still current. */
    public static final String STALE_READ_OLD = "read=K" + REUSED;
    /** A reader holding K's handle found it no longer current: whatever it read is discarded. */
    public static final String STALE_READ_NONE = "read=none" + REUSED;

    /** A writer holding K's handle wrote K's record before the removal began, which then reset it. */
    public static final String STALE_WRITE_OLD = "wrote=true" + REUSED;
    /** A writer holding K's handle found it no longer current and wrote nothing. */
    public static final String STALE_WRITE_NONE = "wrote=false" + REUSED;
    /** What a stale writer writes: distinct from K's, J's and the reset payload. */
    public static final long W_A = 0x0A0A_0003L;
    /** See {@link #W_A}. */
    public static final long W_B = 0x0B0B_0003L;

    private RecordTableEvictTests()
    {
    }

    /**
     * A writer holding a handle found before the race (as a {@code SiteHandle} caches one across calls)
     * writes K's record through it, pinning it first, which validates the generation
     * ({@link ReuseFixture#write}); the other actor removes K, inserts J into the freed record and writes J's
     * payload. ACCEPTABLE: {@code wrote=true} (pinned before the removal, which waited for it and reset the
     * payload) or {@code wrote=false} (the pin saw the removal). Either way J ends with exactly its own
     * payload. FORBIDDEN: anything else, above all J's record holding the writer's words.
     * {@code broken.BrokenStaleHandleWriteTest} is this test with a writer that skips the pin.
     */
    @JCStressTest
    @Description("A stale handle's write racing removal and reuse: into K before the removal, or not at all")
    @Outcome(id = STALE_WRITE_OLD, expect = ACCEPTABLE, desc = "written while K was current; reset by the removal")
    @Outcome(id = STALE_WRITE_NONE, expect = ACCEPTABLE, desc = "the pin saw the removal: nothing written")
    @Outcome(expect = FORBIDDEN, desc = "the writer's words in J's record, a leak or an overwrite")
    @State
    public static class StaleHandleWrite
    {
        final ReuseFixture fixture = new ReuseFixture();
        boolean wrote;

        @Actor
        public void remover()
        {
            fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
            fixture.write(fixture.table.findOrInsert(ReuseFixture.J, ReuseFixture.KEY1, ReuseFixture.KEY2),
                ReuseFixture.J_A, ReuseFixture.J_B);
        }

        @Actor
        public void writer()
        {
            wrote = fixture.write(fixture.kHandle, W_A, W_B);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "wrote=" + wrote + " K=" + fixture.occupant(ReuseFixture.K) + " J=" +
                fixture.occupant(ReuseFixture.J) + " " + fixture.bookkeeping();
        }
    }

    /**
     * A reader holding a handle found before the race (as a scan or an enumeration holds one across
     * its reads) reads K's record and validates the handle; the other actor removes K, inserts J (which
     * can only land in K's freed record) and writes J's payload, pinned. ACCEPTABLE: {@code read=K}
     * (validated: every word read before the removal's state CAS) or {@code read=none} (rejected).
     * FORBIDDEN: a validated read of anything else: J's key or payload, the zeroed payload, or a mix,
     * which would mean {@code isCurrent} accepted data read after the removal began; or any final state
     * other than {@link #REUSED}. {@code broken.BrokenStaleHandleReadTest} is this test without the
     * validation, with the same outcome constants.
     */
    @JCStressTest
    @Description("A stale handle's read racing removal and reuse: K's whole data, validated, or rejected")
    @Outcome(id = STALE_READ_OLD, expect = ACCEPTABLE, desc = "read before the removal began, validated")
    @Outcome(id = STALE_READ_NONE, expect = ACCEPTABLE, desc = "the generation moved on: the read is rejected")
    @Outcome(expect = FORBIDDEN, desc = "the next occupant's or zeroed data accepted under K's handle, leak or overwrite")
    @State
    public static class StaleHandleRead
    {
        final ReuseFixture fixture = new ReuseFixture();
        String read;

        @Actor
        public void remover()
        {
            fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
            fixture.write(fixture.table.findOrInsert(ReuseFixture.J, ReuseFixture.KEY1, ReuseFixture.KEY2),
                ReuseFixture.J_A, ReuseFixture.J_B);
        }

        @Actor
        public void reader()
        {
            final String data = fixture.read(RecordTable.record(fixture.kHandle));
            read = fixture.table.isCurrent(fixture.kHandle) ? data : "none";
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "read=" + read + " K=" + fixture.occupant(ReuseFixture.K) + " J=" +
                fixture.occupant(ReuseFixture.J) + " " + fixture.bookkeeping();
        }
    }

    /**
     * {@code find} of K racing its removal and J's insert into the freed record. {@code find} compares
     * the key, then checks the state against the link's generation, so it returns K's handle
     * (generation 0) or nothing, never J's record under K; a handle it returns may be stale by the time
     * the data is read, which validation rejects. ACCEPTABLE: {@code find=K@1g0} (found and validated),
     * {@code find=stale@1g0} (found, then the removal began before the validation), {@code find=none}.
     * FORBIDDEN: a handle of generation 1 for K, validated data other than K's, any final state other
     * than {@link #REUSED}.
     */
    @JCStressTest
    @Description("find racing removal and reuse by another key: K's handle and data, a stale handle, or nothing")
    @Outcome(id = "find=K@1g0" + REUSED, expect = ACCEPTABLE, desc = "found before the removal, data validated")
    @Outcome(id = "find=stale@1g0" + REUSED, expect = ACCEPTABLE, desc = "found, then removed before the validation")
    @Outcome(id = "find=none" + REUSED, expect = ACCEPTABLE, desc = "K already removed (DEAD or unlinked)")
    @Outcome(expect = FORBIDDEN, desc = "the next occupant's record or data under K, leak or overwrite")
    @State
    public static class FindVsReuse
    {
        final ReuseFixture fixture = new ReuseFixture();
        String found;

        @Actor
        public void remover()
        {
            fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
            fixture.write(fixture.table.findOrInsert(ReuseFixture.J, ReuseFixture.KEY1, ReuseFixture.KEY2),
                ReuseFixture.J_A, ReuseFixture.J_B);
        }

        @Actor
        public void finder()
        {
            final long handle = fixture.table.find(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2);
            if (handle == RecordTable.NOT_FOUND)
            {
                found = "none";
                return;
            }
            final String data = fixture.read(RecordTable.record(handle));
            found = (fixture.table.isCurrent(handle) ? data : "stale") +
                "@" + RecordTable.record(handle) + "g" + RecordTable.generation(handle);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "find=" + found + " K=" + fixture.occupant(ReuseFixture.K) + " J=" +
                fixture.occupant(ReuseFixture.J) + " " + fixture.bookkeeping();
        }
    }

    /**
     * Two removals of K: serialised by the remover word, the second finds K gone. Exactly one returns
     * {@code true}, the reclaimer runs once, the record is freed once: the arbiter then inserts two new
     * keys and must get exactly one in (a record pushed twice on the free list would take both), then one
     * counted overflow. ACCEPTABLE: either actor wins. FORBIDDEN: both or neither, a second reclaim, a
     * doubly freed or leaked record, a disturbed canary.
     */
    @JCStressTest
    @Description("Two removals of one key: exactly one succeeds, the record is freed once")
    @Outcome(id = "removed=(true,false|false,true) K=gone size=1 free=1 removed=1 overflow=0 reclaimed=1 canaries=ok " +
        "refill=1 overflow=1", expect = ACCEPTABLE, desc = "one removal won, the other found K gone")
    @Outcome(expect = FORBIDDEN, desc = "both or neither removed, reclaimed twice, a record freed twice or leaked")
    @State
    public static class RemoveVsRemove
    {
        final ReuseFixture fixture = new ReuseFixture();
        boolean removed1;
        boolean removed2;

        @Actor
        public void remover1()
        {
            removed1 = fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        }

        @Actor
        public void remover2()
        {
            removed2 = fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            final String before = "removed=" + removed1 + "," + removed2 + " K=" + fixture.occupant(ReuseFixture.K) +
                " " + fixture.bookkeeping();
            int refill = 0;
            for (long key = 100; key < 102; key++)
            {
                if (fixture.table.findOrInsert(key, 0, 0) != RecordTable.NOT_FOUND)
                {
                    refill++;
                }
            }
            r.r1 = before + " refill=" + refill + " overflow=" + fixture.table.overflowCount();
        }
    }

    /**
     * {@code findOrInsert} of K racing K's removal. The inserter either finds K's record before the
     * removal's state CAS ({@code insert=1g0}; K then removed) or, finding it DEAD, inserts K afresh:
     * the table is full until the removal frees record 1, so the insert waits for it (size is below
     * capacity) and takes it with generation 1, payload zeroed by the reclaimer ({@code insert=1g1}).
     * ACCEPTABLE_INTERESTING: the insert is refused and counted as an overflow ({@code insert=none}) when
     * the removal stalls between its state CAS and freeing the record for longer than
     * {@link RecordTable#MAX_RESERVE_ATTEMPTS} waits, the bounded wait {@code findOrInsert} documents for
     * records still draining. (Before the removal uncounted a LIVE record ahead of its state CAS, an insert
     * meeting K DEAD while the table still counted full was refused at once, in about 1% of samples.)
     * FORBIDDEN: a returned handle that does not name K's final occupant, two records of K, K's old
     * payload in the new record, a leaked record, a disturbed canary.
     */
    @JCStressTest
    @Description("findOrInsert of a key racing its removal: the old record (then removed) or a fresh generation")
    @Outcome(id = "insert=1g0 K=gone size=1 free=1 removed=1 overflow=0 reclaimed=1 canaries=ok", expect = ACCEPTABLE,
        desc = "found K before its removal began; K then removed")
    @Outcome(id = "insert=1g1 K=1g1:key:e1d,a:0,b:0 size=2 free=0 removed=1 overflow=0 reclaimed=1 canaries=ok",
        expect = ACCEPTABLE, desc = "found K DEAD, waited for its record and re-inserted K with generation 1, payload reset")
    @Outcome(id = "insert=none K=gone size=1 free=1 removed=1 overflow=1 reclaimed=1 canaries=ok",
        expect = ACCEPTABLE_INTERESTING,
        desc = "met K DEAD while the table still counted full, or the removal stalled past the bounded wait: refused, counted")
    @Outcome(expect = FORBIDDEN, desc = "a handle not naming K's occupant, K twice, stale payload, leak or overwrite")
    @State
    public static class FindOrInsertVsRemove
    {
        final ReuseFixture fixture = new ReuseFixture();
        long handle;

        @Actor
        public void remover()
        {
            fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        }

        @Actor
        public void inserter()
        {
            handle = fixture.table.findOrInsert(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "insert=" + (handle == RecordTable.NOT_FOUND ? "none" :
                RecordTable.record(handle) + "g" + RecordTable.generation(handle)) +
                " K=" + fixture.occupant(ReuseFixture.K) + " " + fixture.bookkeeping();
        }
    }

    /**
     * A removal racing the LIVE mark of a record whose inserter stalled right after publishing it (phase
     * RESERVED, not yet counted): a lookup that meets it helps mark it LIVE. Whichever comes first, the
     * removal must succeed, since the key was present all along (a removal that tried LIVE, then RESERVED,
     * lost to a mark landing in between and returned {@code false}). The lookup either found K before the
     * removal ({@code insert=1g0}, K then removed) or re-inserted it in the freed record
     * ({@code insert=1g1}). ACCEPTABLE_INTERESTING: refused after the bounded wait, as above.
     * FORBIDDEN: the removal failing, a miscount, a leak, a disturbed canary.
     */
    @JCStressTest
    @Description("Removal of a published record racing the lookup that marks it LIVE: the removal always succeeds")
    @Outcome(id = "removed=true insert=1g0 K=gone size=1 free=1 removed=1 overflow=0 reclaimed=1 canaries=ok",
        expect = ACCEPTABLE, desc = "found K (and helped it LIVE, or found it already DEAD-bound); K then removed")
    @Outcome(id = "removed=true insert=1g1 K=1g1:key:e1d,a:0,b:0 size=2 free=0 removed=1 overflow=0 reclaimed=1 canaries=ok",
        expect = ACCEPTABLE, desc = "removal first; K re-inserted in its freed record under generation 1")
    @Outcome(id = "removed=true insert=none K=gone size=1 free=1 removed=1 overflow=1 reclaimed=1 canaries=ok",
        expect = ACCEPTABLE_INTERESTING, desc = "the removal stalled past the inserter's bounded wait: refused, counted")
    @Outcome(expect = FORBIDDEN, desc = "removal failed on a present key, miscount, leak or overwrite")
    @State
    public static class RemoveVsMarkLive
    {
        final ReuseFixture fixture = new ReuseFixture();
        long handle;
        boolean removed;

        public RemoveVsMarkLive()
        {
            // Roll K back to what its inserter leaves when descheduled between its bucket CAS and markLive.
            final int stateOffset = fixture.table.recordOffset(RecordTable.record(fixture.kHandle)) + RecordTable.STATE_OFFSET;
            fixture.buffer.putLongVolatile(stateOffset, RecordTable.PHASE_RESERVED);
            fixture.buffer.getAndAddLong(ReuseFixture.CONTROL_OFFSET + RecordTable.SIZE_OFFSET, -1);
        }

        @Actor
        public void remover()
        {
            removed = fixture.table.remove(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2, fixture.reclaim);
        }

        @Actor
        public void helper()
        {
            handle = fixture.table.findOrInsert(ReuseFixture.K, ReuseFixture.KEY1, ReuseFixture.KEY2);
        }

        @Arbiter
        public void arbiter(final L_Result r)
        {
            r.r1 = "removed=" + removed + " insert=" + (handle == RecordTable.NOT_FOUND ? "none" :
                RecordTable.record(handle) + "g" + RecordTable.generation(handle)) +
                " K=" + fixture.occupant(ReuseFixture.K) + " " + fixture.bookkeeping();
        }
    }
}
