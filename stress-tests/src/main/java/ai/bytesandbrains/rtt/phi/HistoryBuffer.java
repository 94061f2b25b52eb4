package ai.bytesandbrains.rtt.phi;

import ai.bytesandbrains.rtt.internal.RecordMemory;
import ai.bytesandbrains.rtt.stress.Outcomes;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link HeartbeatHistory} over a heap buffer, with canaries around the control words, the ring and
 * the non-quiescent counter.
 *
 * <pre>
 *  canary | control words (claimed, completed, sum, contended completed, contended sum) | canary
 *         | ring (capacity * 8) | canary | non-quiescent counter | canary
 * </pre>
 */
final class HistoryBuffer
{
    static final int CONTROL_OFFSET = Long.BYTES;
    static final int RING_OFFSET = CONTROL_OFFSET + HeartbeatHistory.CONTROL_LENGTH + Long.BYTES;

    final int capacity;
    final int counterOffset;
    final AtomicBuffer buffer;

    HistoryBuffer(final int capacity, final long... seed)
    {
        this.capacity = capacity;
        this.counterOffset = RING_OFFSET + capacity * Long.BYTES + Long.BYTES;
        buffer = new UnsafeBuffer(new byte[counterOffset + 2 * Long.BYTES]);
        buffer.putLong(0, Outcomes.CANARY);
        buffer.putLong(RING_OFFSET - Long.BYTES, Outcomes.CANARY);
        buffer.putLong(counterOffset - Long.BYTES, Outcomes.CANARY);
        buffer.putLong(counterOffset + Long.BYTES, Outcomes.CANARY);
        for (final long value : seed)
        {
            record(value);
        }
    }

    void record(final long value)
    {
        HeartbeatHistory.record(buffer, CONTROL_OFFSET, RING_OFFSET, capacity, value);
    }

    /** A record by the writer holding the owner's claim: the caller guarantees there is one at a time. */
    void recordClaimed(final long value)
    {
        HeartbeatHistory.recordClaimedAt(buffer, RecordMemory.base(buffer),
            RecordMemory.address(buffer, CONTROL_OFFSET, HeartbeatHistory.CONTROL_LENGTH), RING_OFFSET, capacity,
            HeartbeatHistory.maxValueNs(capacity), value);
    }

    double mean()
    {
        return HeartbeatHistory.meanNs(buffer, CONTROL_OFFSET, capacity, counterOffset);
    }

    long nonQuiescentReads()
    {
        return buffer.getLongVolatile(counterOffset);
    }

    long claimed()
    {
        return buffer.getLongVolatile(CONTROL_OFFSET + HeartbeatHistory.CLAIMED_OFFSET);
    }

    long completed()
    {
        return HeartbeatHistory.completedVolatile(buffer, CONTROL_OFFSET);
    }

    long sum()
    {
        return HeartbeatHistory.sumVolatile(buffer, CONTROL_OFFSET);
    }

    long slot(final int position)
    {
        return buffer.getLongVolatile(RING_OFFSET + position * Long.BYTES);
    }

    /** @return the ring positions, comma-separated, then whether {@code sum} is the sum of the ring. */
    String ringAndSum()
    {
        final StringBuilder ring = new StringBuilder();
        long ringSum = 0;
        for (int i = 0; i < capacity; i++)
        {
            ring.append(i == 0 ? "" : ",").append(slot(i));
            ringSum += slot(i);
        }
        final long sum = sum();
        return "ring=" + ring + " sum=" + (sum == ringSum ? "ring" : Long.toString(sum));
    }

    String canaries()
    {
        return Outcomes.canaries(
            buffer.getLongVolatile(0),
            buffer.getLongVolatile(RING_OFFSET - Long.BYTES),
            buffer.getLongVolatile(counterOffset - Long.BYTES),
            buffer.getLongVolatile(counterOffset + Long.BYTES));
    }
}
