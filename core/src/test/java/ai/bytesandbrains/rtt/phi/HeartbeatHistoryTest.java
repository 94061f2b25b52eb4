package ai.bytesandbrains.rtt.phi;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatHistoryTest
{
    private static final int CONTROL = 0;
    private static final int COUNTER = 64;
    private static final int RING = 128;
    private static final int CAPACITY = 3;

    private final AtomicBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(RING + CAPACITY * 8));

    @Test
    void shouldBeEmptyWithZeroMean()
    {
        assertThat(HeartbeatHistory.length(buffer, CONTROL, CAPACITY)).isZero();
        assertThat(HeartbeatHistory.meanNs(buffer, CONTROL, CAPACITY, COUNTER)).isZero();
    }

    @Test
    void shouldEvictOldestAtCapacityAndKeepExactSum()
    {
        final long[] values = {10, 20, 30, 40, 50};
        for (final long value : values)
        {
            HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, value);
        }
        final long[] contents = new long[CAPACITY];
        assertThat(HeartbeatHistory.copyOldestFirst(buffer, CONTROL, RING, CAPACITY, contents)).isEqualTo(3);
        assertThat(contents).containsExactly(30, 40, 50);
        assertThat(HeartbeatHistory.sumVolatile(buffer, CONTROL)).isEqualTo(120);
        assertThat(HeartbeatHistory.meanNs(buffer, CONTROL, CAPACITY, COUNTER)).isEqualTo(40.0);
        assertThat(HeartbeatHistory.totalRecorded(buffer, CONTROL)).isEqualTo(5);
    }

    @Test
    void shouldClampValuesSoTheSumCannotOverflow()
    {
        for (int i = 0; i < 2 * CAPACITY; i++)
        {
            HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, Long.MAX_VALUE);
        }
        final long sum = HeartbeatHistory.sumVolatile(buffer, CONTROL);
        assertThat(sum).isEqualTo(CAPACITY * HeartbeatHistory.maxValueNs(CAPACITY)).isPositive();
    }

    @Test
    void shouldUseLastViewAndCountWhenARecordStaysInFlight()
    {
        HeartbeatHistory.record(buffer, CONTROL, RING, CAPACITY, 100);
        buffer.getAndAddLong(CONTROL + HeartbeatHistory.CLAIMED_OFFSET, 1); // a heartbeat that never finishes
        assertThat(HeartbeatHistory.meanNs(buffer, CONTROL, CAPACITY, COUNTER)).isEqualTo(100.0);
        assertThat(buffer.getLong(COUNTER)).isEqualTo(1);
    }
}
