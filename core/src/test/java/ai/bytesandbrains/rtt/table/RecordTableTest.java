package ai.bytesandbrains.rtt.table;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTableTest
{
    private static final int CAPACITY = 5;
    private static final int RECORD_LENGTH = 64;

    private final AtomicBuffer buffer = new UnsafeBuffer(
        ByteBuffer.allocateDirect((int)RecordTable.regionLength(CAPACITY, RECORD_LENGTH)));
    private final RecordTable table = new RecordTable(buffer, 0, CAPACITY, RECORD_LENGTH);

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
        final int record = table.findOrInsert(1, 2, 3);
        assertThat(record).isNotNegative();
        assertThat(table.findOrInsert(1, 2, 3)).isEqualTo(record);
        assertThat(table.find(1, 2, 3)).isEqualTo(record);
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
        final Set<Integer> records = new HashSet<>();
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
            assertThat(table.findOrInsert(i, 0, 0)).isEqualTo(i);
        }
        assertThat(table.findOrInsert(100, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.findOrInsert(101, 0, 0)).isEqualTo(RecordTable.NOT_FOUND);
        assertThat(table.overflowCount()).isEqualTo(2);
        for (int i = 0; i < CAPACITY; i++)
        {
            assertThat(table.findOrInsert(i, 0, 0)).isEqualTo(i);
        }
        assertThat(table.size()).isEqualTo(CAPACITY);
        assertThat(table.overflowCount()).isEqualTo(2);
    }

    @Test
    void shouldLetALaterLookupPublishARecordWhoseInserterStalledBeforeMarkingIt()
    {
        final int record = table.findOrInsert(9, 9, 9);
        // Roll back what the inserter does after its slot CAS, as if it had been descheduled there.
        buffer.putLongVolatile(table.recordOffset(record) + RecordTable.STATE_OFFSET, RecordTable.STATE_FREE);
        buffer.getAndAddLong(RecordTable.SIZE_OFFSET, -1);
        assertThat(table.isLive(record)).isFalse();
        assertThat(table.find(9, 9, 9)).isEqualTo(record);

        assertThat(table.findOrInsert(9, 9, 9)).isEqualTo(record);
        assertThat(table.isLive(record)).isTrue();
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
}
