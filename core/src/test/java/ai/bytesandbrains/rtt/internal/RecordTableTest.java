package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTableTest
{
    private static final int CAPACITY = 5;
    private static final int RECORD_LENGTH = 64;

    private final AtomicBuffer buffer = new UnsafeBuffer(
        ByteBuffer.allocateDirect((int)RecordTable.regionLength(CAPACITY, RECORD_LENGTH)));
    private final RecordTable table = new RecordTable(buffer, 0, CAPACITY, RECORD_LENGTH);

    @Test
    void shouldCheckAStateExactlyAsGenerationThenPhaseDo()
    {
        final long[] generations = {0, 1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};
        final long[] lowHalves = {0, 1, 2, 3, 4, 5, 0x7FFF_FFFFL, 0xFFFF_FFFFL};
        for (final long linkGeneration : generations)
        {
            final long link = (linkGeneration << 32) | 17; // the low half of a link is its record, never compared
            for (final long stateGeneration : generations)
            {
                for (final long low : lowHalves)
                {
                    final long state = (stateGeneration << 32) | low;
                    // the rule it replaces on the read paths, which walks and restore still use: equal for every pair
                    final boolean expected = (state >>> 32) == (link >>> 32) && RecordTable.isPublishedPhase(state);
                    assertThat(RecordTable.isPublishedState(state, link))
                        .as("state %x, link %x", state, link)
                        .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldNotFindInEmptyTable()
    {
        assertThat(table.find(1, 2, 3)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.size()).isZero();
        assertThat(table.highWaterMark()).isZero();
    }

    @Test
    void shouldInsertOnceAndFindByWholeKey()
    {
        final long handle = table.findOrInsert(1, 2, 3);
        assertThat(handle).isNotNegative();
        final int record = RecordTable.record(handle);
        assertThat(table.findOrInsert(1, 2, 3)).isEqualTo(handle);
        assertThat(table.find(1, 2, 3)).isEqualTo(handle);
        assertThat(table.find(1, 2, 4)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.find(0, 2, 3)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.isLive(record)).isTrue();
        assertThat(table.key0(record)).isEqualTo(1);
        assertThat(table.key1(record)).isEqualTo(2);
        assertThat(table.key2(record)).isEqualTo(3);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldAcceptZeroAndExtremeKeys()
    {
        final long[] keys = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        final Set<Long> records = new HashSet<>();
        for (final long key : keys)
        {
            records.add(table.findOrInsert(key, 0, 0));
        }
        assertThat(records).hasSize(keys.length).doesNotContain(RecordTable.NOT_FOUND);
        for (final long key : keys)
        {
            assertThat(table.find(key, 0, 0)).isNotNegative();
        }
    }

    @Test
    void shouldRefuseAndCountInsertsBeyondCapacityWithoutDisturbingStoredKeys()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            assertThat(RecordTable.record(table.findOrInsert(i, 0, 0))).isEqualTo(i);
        }
        assertThat(table.findOrInsert(100, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.findOrInsert(101, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.overflowCount()).isEqualTo(2);
        for (int i = 0; i < CAPACITY; i++)
        {
            assertThat(RecordTable.record(table.findOrInsert(i, 0, 0))).isEqualTo(i);
        }
        assertThat(table.size()).isEqualTo(CAPACITY);
        assertThat(table.overflowCount()).isEqualTo(2);
    }

    @Test
    void shouldLetALaterLookupPublishARecordWhoseInserterStalledBeforeMarkingIt()
    {
        final long record = table.findOrInsert(9, 9, 9);
        // Roll back what the inserter does after its bucket CAS, as if it had been descheduled there.
        buffer.putLongVolatile(
            table.recordOffset(RecordTable.record(record)) + RecordTable.STATE_OFFSET, RecordTable.PHASE_RESERVED);
        buffer.getAndAddLong(RecordTable.SIZE_OFFSET, -1);
        assertThat(table.isLive(RecordTable.record(record))).isFalse();
        assertThat(table.find(9, 9, 9)).isEqualTo(record);

        assertThat(table.findOrInsert(9, 9, 9)).isEqualTo(record);
        assertThat(table.isLive(RecordTable.record(record))).isTrue();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.findOrInsert(9, 9, 9)).isEqualTo(record);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseWithoutWaitingWhenEveryRecordIsPublished()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            table.findOrInsert(i, 0, 0);
        }
        for (int i = 0; i < 1000; i++)
        {
            assertThat(table.findOrInsert(1000 + i, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        }
        assertThat(table.overflowCount()).isEqualTo(1000);
    }

    @Test
    void shouldRefuseARegionThatDoesNotFitTheBuffer()
    {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> new RecordTable(buffer, 8, CAPACITY, RECORD_LENGTH))
            .withMessageContaining("does not fit");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> new RecordTable(buffer, 0, CAPACITY, 20))
            .withMessageContaining("recordLength=20");
    }

    @Test
    void shouldSizeIndexAtTwiceCapacityRoundedToPowerOfTwo()
    {
        assertThat(RecordTable.slotCount(1)).isEqualTo(2);
        assertThat(RecordTable.slotCount(5)).isEqualTo(16);
        assertThat(RecordTable.slotCount(1000)).isEqualTo(2048);
    }

    @Test
    void shouldRemoveAndReuseTheRecordUnderANewGeneration()
    {
        final long first = table.findOrInsert(7, 0, 0);
        final List<Integer> reclaimed = new ArrayList<>();
        assertThat(table.remove(7, 0, 0, reclaimed::add)).isTrue();
        assertThat(reclaimed).containsExactly(RecordTable.record(first));
        assertThat(table.find(7, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.isCurrent(first)).isFalse();
        assertThat(table.pin(first)).isFalse();
        assertThat(table.size()).isZero();
        assertThat(table.removedCount()).isEqualTo(1);
        assertThat(table.remove(7, 0, 0, reclaimed::add)).isFalse();
        assertThat(table.remove(first, reclaimed::add)).isFalse();

        final long second = table.findOrInsert(8, 0, 0);
        assertThat(RecordTable.record(second)).isEqualTo(RecordTable.record(first));
        assertThat(RecordTable.generation(second)).isEqualTo(RecordTable.generation(first) + 1);
        assertThat(table.isCurrent(second)).isTrue();
        assertThat(table.isCurrent(first)).isFalse();
        assertThat(table.highWaterMark()).isEqualTo(1);
        assertThat(table.freeCount()).isEqualTo(CAPACITY - 1);
    }

    @Test
    void shouldKeepEveryOtherKeyOfAChainFindableWhenOneIsRemoved()
    {
        // One bucket: a table of capacity 1 has 2 buckets, so keys collide quickly; use many keys and a
        // larger table whose chains hold several records.
        final int capacity = 64;
        final AtomicBuffer big = new UnsafeBuffer(
            ByteBuffer.allocateDirect((int)RecordTable.regionLength(capacity, RECORD_LENGTH)));
        final RecordTable t = new RecordTable(big, 0, capacity, RECORD_LENGTH);
        for (long key = 0; key < capacity; key++)
        {
            t.findOrInsert(key, 1, 2);
        }
        for (long removed = 0; removed < capacity; removed += 2)
        {
            assertThat(t.remove(removed, 1, 2, record -> { })).isTrue();
            for (long key = 0; key < capacity; key++)
            {
                final boolean expected = key > removed || (key & 1) == 1;
                assertThat(t.find(key, 1, 2) != RecordTable.NOT_FOUND).as("key %d after removing %d", key, removed)
                    .isEqualTo(expected);
            }
        }
        assertThat(t.size()).isEqualTo(capacity / 2);
        assertThat(t.freeCount()).isEqualTo(capacity / 2);
        for (long key = 1000; key < 1000 + capacity / 2; key++)
        {
            assertThat(t.findOrInsert(key, 1, 2)).isNotEqualTo(RecordTable.NOT_FOUND);
        }
        assertThat(t.findOrInsert(5000, 1, 2)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(t.overflowCount()).isEqualTo(1);
    }

    @Test
    void shouldMatchAMapModelThroughRandomInsertsAndRemovals()
    {
        final int capacity = 32;
        final AtomicBuffer big = new UnsafeBuffer(
            ByteBuffer.allocateDirect((int)RecordTable.regionLength(capacity, RECORD_LENGTH)));
        final RecordTable t = new RecordTable(big, 0, capacity, RECORD_LENGTH);
        final Map<Long, Long> model = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        long overflows = 0;
        long removals = 0;
        for (int step = 0; step < 200_000; step++)
        {
            final long key = random.nextInt(96);
            if (random.nextInt(3) == 0)
            {
                final boolean removed = t.remove(key, 0, 0, record -> { });
                assertThat(removed).isEqualTo(model.remove(key) != null);
                removals += removed ? 1 : 0;
            }
            else
            {
                final long handle = t.findOrInsert(key, 0, 0);
                final Long known = model.get(key);
                if (known != null)
                {
                    assertThat(handle).isEqualTo(known);
                }
                else if (model.size() == capacity)
                {
                    assertThat(handle).isEqualTo(RecordTable.NOT_FOUND);
                    overflows++;
                }
                else
                {
                    assertThat(handle).isNotEqualTo(RecordTable.NOT_FOUND);
                    assertThat(model.containsValue(handle)).isFalse();
                    model.put(key, handle);
                }
            }
        }
        assertThat(t.size()).isEqualTo(model.size());
        assertThat(t.overflowCount()).isEqualTo(overflows);
        assertThat(t.removedCount()).isEqualTo(removals);
        assertThat(t.freeCount()).isEqualTo(capacity - model.size());
        for (final Map.Entry<Long, Long> entry : model.entrySet())
        {
            assertThat(t.find(entry.getKey(), 0, 0)).isEqualTo(entry.getValue());
        }
    }

    @Test
    void shouldWaitForAPinnedWriterBeforeReclaiming() throws Exception
    {
        final long handle = table.findOrInsert(3, 0, 0);
        assertThat(table.pin(handle)).isTrue();
        final AtomicBoolean reclaimed = new AtomicBoolean();
        final Thread remover = new Thread(() -> table.remove(3, 0, 0, record -> reclaimed.set(true)));
        remover.start();
        while (table.find(3, 0, 0) != RecordTable.NOT_FOUND)
        {
            Thread.onSpinWait(); // the removal has begun once the key is gone
        }
        Thread.sleep(50);
        assertThat(reclaimed).isFalse();
        assertThat(remover.isAlive()).isTrue();
        table.unpin(handle);
        remover.join(10_000);
        assertThat(reclaimed).isTrue();
        assertThat(table.pin(handle)).isFalse();
    }

    @Test
    void shouldRepairAChainLeftWithADeadRecordAndHeldWords()
    {
        final long keep = table.findOrInsert(1, 0, 0);
        final long dead = table.findOrInsert(2, 0, 0);
        // A removal killed after its state CAS, before unlinking; a writer killed while pinned.
        final int deadState = table.recordOffset(RecordTable.record(dead)) + RecordTable.STATE_OFFSET;
        buffer.putLongVolatile(deadState, ((long)(RecordTable.generation(dead) + 1) << 32) | RecordTable.PHASE_DEAD);
        buffer.putLongVolatile(table.recordOffset(RecordTable.record(keep)) + RecordTable.PINS_OFFSET, 3);
        buffer.putLongVolatile(RecordTable.REMOVER_OFFSET, 1);
        final List<Integer> zeroed = new ArrayList<>();

        TableRepair.repair(table, zeroed::add);

        assertThat(zeroed).containsExactly(RecordTable.record(dead));
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.find(1, 0, 0)).isEqualTo(keep);
        assertThat(table.find(2, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.remove(1, 0, 0, record -> { })).isTrue(); // pins and remover word were cleared
        final long again = table.findOrInsert(2, 0, 0);
        assertThat(RecordTable.generation(again)).isGreaterThan(RecordTable.generation(dead));
    }

    @Test
    void shouldSpreadSequentialShiftedStridedAndEdgeShapedKeysAsEvenlyAsARandomHash()
    {
        // 100,000 keys over 2^18 buckets (a table's load): a random hash leaves the longest chain at 5 or 6.
        final int buckets = 1 << 18;
        final long chain = 0x5EED_C4A1_0000_0001L;
        final long[][] shapes = new long[5][100_000];
        for (int i = 0; i < 100_000; i++)
        {
            shapes[0][i] = RecordTable.hash(i, 0, 0);                  // sequential ids
            shapes[1][i] = RecordTable.hash((long)i << 40, 0, 0);      // ids in the high bits
            shapes[2][i] = RecordTable.hash(i * 1_000L, 0, 0);          // strided ids
            shapes[3][i] = RecordTable.hash((long)i << 32 | 443, 0, 0); // address:port shaped
            shapes[4][i] = RecordTable.hash(i / 256, chain, i % 256);   // the edges of 391 sites, 256 hops each
        }
        for (final long[] hashes : shapes)
        {
            final int[] chainLengths = new int[buckets];
            int longest = 0;
            for (final long hash : hashes)
            {
                longest = Math.max(longest, ++chainLengths[(int)hash & (buckets - 1)]);
            }
            assertThat(longest).isLessThanOrEqualTo(9);
        }
    }
}
