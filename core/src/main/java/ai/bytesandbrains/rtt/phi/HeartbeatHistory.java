package ai.bytesandbrains.rtt.phi;

import ai.bytesandbrains.rtt.internal.RecordMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A bounded history of inter-arrival times in an {@link AtomicBuffer}: a ring of {@code capacity}
 * longs plus five control words, so that the mean, and hence φ, is O(1).
 *
 * <pre>
 *  control words (in the owner's record)                                ring (capacity * 8 bytes, elsewhere)
 *  +-----------+-----------+-----------+---------------+---------------+   +------+------+-- ... --+------+
 *  |  claimed  | completed |    sum    | contended     | contended     |   |  v0  |  v1  |         | vN-1 |
 *  |           | (claimant)| (claimant)| completed     | sum           |   |      |      |         |      |
 *  +-----------+-----------+-----------+---------------+---------------+   +------+------+-- ... --+------+
 * </pre>
 * {@code claimed} counts heartbeats that have started; the two {@code completed} words together count
 * those that have finished; heartbeat {@code i} writes ring position {@code i % capacity}. The two
 * {@code sum} words add up to the exact sum of the ring (each alone may drift, and even wrap: their
 * two's-complement total is still exact, since the ring's sum fits in a long). The history length is
 * {@code min(completed, capacity)}, {@code completed} meaning the total.
 *
 * <h2>Concurrency</h2>
 * Any number of threads may record and read at once, lock-free. A record is
 * {@code claimed += 1; old = swap(ring[i], v); sum += v - old; completed += 1}. The first two are
 * atomic for every writer. The last two are made on one of two pairs of words: by the writer that holds
 * its owner's claim ({@link #recordClaimedAt}), on {@code completed} and {@code sum}, with plain loads
 * and release stores, since claims are exclusive; by any other writer ({@link #recordAt}), on the
 * contended pair, with atomic adds. Because the ring slot is swapped, not stored, the sums equal the
 * sum of the ring once concurrent records have finished, whatever their interleaving. Readers take a
 * quiescent view: they read both {@code completed} words, then both sums, then {@code claimed}, and
 * accept the view only if {@code claimed} equals the completed total (no record was in flight across
 * the reads: the total is monotonic and never above {@code claimed}, so equality at the end proves it
 * held from the first read on). After
 * {@link #MAX_READ_ATTEMPTS} failed attempts, a reader uses its last view and the caller counts it.
 * Racing records take positions in the order of their {@code claimed} increments, which may differ
 * from the order their callers decided them in; only the eviction order depends on it. When more than
 * {@code capacity} records race, two may land on one position; the ring then keeps one of them, and
 * {@code sum} still matches the ring.
 *
 * <p>Values are clamped to {@link #maxValueNs(int)} so that the exact sum of a full ring fits in a long.
 */
public final class HeartbeatHistory
{
    /** Offset of the started-heartbeats counter in the control words. */
    public static final int CLAIMED_OFFSET = 0;
    /** Offset of the finished-heartbeats counter in the control words. */
    public static final int COMPLETED_OFFSET = CLAIMED_OFFSET + Long.BYTES;
    /** Offset of the claimants' part of the running sum of the ring in the control words. */
    public static final int SUM_OFFSET = COMPLETED_OFFSET + Long.BYTES;
    /** Offset of the finished-heartbeats counter of writers that did not hold the claim. */
    public static final int CONTENDED_COMPLETED_OFFSET = SUM_OFFSET + Long.BYTES;
    /** Offset of the running-sum part of writers that did not hold the claim. */
    public static final int CONTENDED_SUM_OFFSET = CONTENDED_COMPLETED_OFFSET + Long.BYTES;
    /** Bytes of the control words. */
    public static final int CONTROL_LENGTH = CONTENDED_SUM_OFFSET + Long.BYTES;

    /** Attempts a reader makes to see no record in flight before using a non-quiescent view. */
    public static final int MAX_READ_ATTEMPTS = 16;

    /**
     * Most heartbeats a history can have recorded: 2^62, 146 years at one per nanosecond. A larger
     * {@code claimed} cannot come from a writer, and would wrap the ring position of the next record.
     */
    public static final long MAX_RECORDED = 1L << 62;

    /**
     * Most records a process killed mid-record can leave in flight on one history ({@code claimed -
     * completed}): one per writer thread, and no process runs 2^16 threads on one site.
     */
    public static final long MAX_IN_FLIGHT = 1L << 16;

    private HeartbeatHistory()
    {
    }

    /**
     * Largest inter-arrival time a history of {@code capacity} stores; larger values are clamped to it
     * so that the exact sum never overflows ({@code Long.MAX_VALUE / capacity}, 106 days at 1000).
     *
     * Pure; any thread.
     *
     * @param capacity history capacity.
     * @return the clamp in nanoseconds.
     */
    public static long maxValueNs(final int capacity)
    {
        return Long.MAX_VALUE / capacity;
    }

    /**
     * Pure; any thread.
     *
     * @param capacity history capacity.
     * @return bytes of a ring of that capacity.
     */
    public static long ringLength(final int capacity)
    {
        return (long)capacity * Long.BYTES;
    }

    /**
     * Record one inter-arrival time, evicting the oldest at capacity; thread-safe, lock-free.
     *
     * @param buffer         holding the history.
     * @param controlOffset  of the control words.
     * @param ringOffset     of the ring.
     * @param capacity       of the ring.
     * @param interArrivalNs the inter-arrival time, {@code >= 0}.
     */
    public static void record(
        final AtomicBuffer buffer,
        final int controlOffset,
        final int ringOffset,
        final int capacity,
        final long interArrivalNs)
    {
        record(buffer, controlOffset, ringOffset, capacity, maxValueNs(capacity), interArrivalNs);
    }

    /**
     * {@link #record(AtomicBuffer, int, int, int, long)} with the clamp computed once by the caller, so
     * that a heartbeat does not pay a 64-bit division for it. Thread-safe, lock-free.
     *
     * @param buffer         holding the history.
     * @param controlOffset  of the control words.
     * @param ringOffset     of the ring.
     * @param capacity       of the ring.
     * @param maxValueNs     {@link #maxValueNs(int) maxValueNs(capacity)}.
     * @param interArrivalNs the inter-arrival time, {@code >= 0}.
     */
    public static void record(
        final AtomicBuffer buffer,
        final int controlOffset,
        final int ringOffset,
        final int capacity,
        final long maxValueNs,
        final long interArrivalNs)
    {
        recordAt(
            buffer,
            RecordMemory.base(buffer),
            RecordMemory.address(buffer, controlOffset, CONTROL_LENGTH),
            ringOffset,
            capacity,
            maxValueNs,
            interArrivalNs);
    }

    /**
     * {@link #record(AtomicBuffer, int, int, int, long, long)} with the control words addressed directly,
     * in a range the caller checked with {@link RecordMemory#address} (the site record holding them); the
     * ring slot is checked here, once. Thread-safe, lock-free.
     *
     * @param buffer         holding the history.
     * @param base           {@link RecordMemory#base} of {@code buffer}.
     * @param controlAddress of the control words, {@link #CONTROL_LENGTH} bytes inside a checked range.
     * @param ringOffset     of the ring.
     * @param capacity       of the ring.
     * @param maxValueNs     {@link #maxValueNs(int) maxValueNs(capacity)}.
     * @param interArrivalNs the inter-arrival time, {@code >= 0}.
     * @throws IndexOutOfBoundsException when the ring slot is not inside the buffer.
     */
    public static void recordAt(
        final AtomicBuffer buffer,
        final Object base,
        final long controlAddress,
        final int ringOffset,
        final int capacity,
        final long maxValueNs,
        final long interArrivalNs)
    {
        final long value = Math.min(interArrivalNs, maxValueNs);
        // Atomic throughout: claimed first, so a reader seeing claimed != completed knows a record is in flight;
        // the swap hands each racer the exact value it evicts, so the sums stay the ring's sum.
        final long evicted = swapIntoNextSlot(buffer, base, controlAddress, ringOffset, capacity, value);
        RecordMemory.getAndAddLong(base, controlAddress + CONTENDED_SUM_OFFSET, value - evicted);
        // Last, so that a reader seeing claimed == completed knows the sum above is in.
        RecordMemory.getAndAddLong(base, controlAddress + CONTENDED_COMPLETED_OFFSET, 1);
    }

    /**
     * {@link #recordAt} by the writer holding the claim of the history's owner (see the class Javadoc): two
     * atomic instructions instead of four. Thread-safe, lock-free, only while holding that claim.
     *
     * @param buffer         holding the history.
     * @param base           {@link RecordMemory#base} of {@code buffer}.
     * @param controlAddress of the control words, {@link #CONTROL_LENGTH} bytes inside a checked range.
     * @param ringOffset     of the ring.
     * @param capacity       of the ring.
     * @param maxValueNs     {@link #maxValueNs(int) maxValueNs(capacity)}.
     * @param interArrivalNs the inter-arrival time, {@code >= 0}.
     * @throws IndexOutOfBoundsException when the ring slot is not inside the buffer.
     */
    public static void recordClaimedAt(
        final AtomicBuffer buffer,
        final Object base,
        final long controlAddress,
        final int ringOffset,
        final int capacity,
        final long maxValueNs,
        final long interArrivalNs)
    {
        final long value = Math.min(interArrivalNs, maxValueNs);
        final long evicted = swapIntoNextSlot(buffer, base, controlAddress, ringOffset, capacity, value);
        // Plain loads: only claimants write these words, and the claim's CAS saw the last claimant's stores.
        final long sum = RecordMemory.getLong(base, controlAddress + SUM_OFFSET);
        final long completed = RecordMemory.getLong(base, controlAddress + COMPLETED_OFFSET);
        // release: the sum before completed, so that a reader seeing claimed == completed has the sum
        RecordMemory.putLongRelease(base, controlAddress + SUM_OFFSET, sum + (value - evicted));
        RecordMemory.putLongRelease(base, controlAddress + COMPLETED_OFFSET, completed + 1);
    }

    /** Claim the next position (atomic, so that racers get distinct ones) and swap the value into it. */
    private static long swapIntoNextSlot(
        final AtomicBuffer buffer,
        final Object base,
        final long controlAddress,
        final int ringOffset,
        final int capacity,
        final long value)
    {
        final long index = RecordMemory.getAndAddLong(base, controlAddress + CLAIMED_OFFSET, 1);
        final int position = (int)(index % capacity);
        final long slotAddress = RecordMemory.address(buffer, ringOffset + position * Long.BYTES, Long.BYTES);
        return RecordMemory.getAndSetLong(base, slotAddress, value);
    }

    /**
     * The finished-heartbeats total: both completed words, claimants' first (the reader order of
     * {@link #meanViewAt}). Thread-safe; a moment's value.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @return completed records, volatile reads.
     */
    public static long completedVolatile(final AtomicBuffer buffer, final int controlOffset)
    {
        return buffer.getLongVolatile(controlOffset + COMPLETED_OFFSET) +
            buffer.getLongVolatile(controlOffset + CONTENDED_COMPLETED_OFFSET);
    }

    /**
     * The ring's running sum: both sum words, wrapping (see the class Javadoc). Thread-safe; a moment's value.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @return the sum, volatile reads.
     */
    public static long sumVolatile(final AtomicBuffer buffer, final int controlOffset)
    {
        return buffer.getLongVolatile(controlOffset + SUM_OFFSET) + buffer.getLongVolatile(controlOffset + CONTENDED_SUM_OFFSET);
    }

    /**
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param capacity      of the ring.
     * @return number of inter-arrival times held (volatile read of {@code completed}). Thread-safe,
     * lock-free; a moment's value.
     */
    public static int length(final AtomicBuffer buffer, final int controlOffset, final int capacity)
    {
        // volatile: completed is a record's last word; clamped so that no word makes a length outside the ring
        return (int)Math.max(0, Math.min(completedVolatile(buffer, controlOffset), capacity));
    }

    /**
     * Total heartbeats ever recorded, including those evicted. Thread-safe, lock-free; a moment's value.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @return completed records.
     */
    public static long totalRecorded(final AtomicBuffer buffer, final int controlOffset)
    {
        return completedVolatile(buffer, controlOffset); // volatile: a record's last word, so it is done
    }

    /**
     * One view of the history's mean, saying whether it was quiescent: the one mean read every other mean
     * read is built on. Reads both {@code completed} words, both sums, then {@code claimed}, volatile and
     * in that order: records finish with a {@code completed} word and start with {@code claimed}, so
     * {@code claimed == completed} proves no record overlapped the sum reads. Writes nothing; thread-safe,
     * wait-free.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param capacity      of the ring.
     * @return the mean in nanoseconds (0 when empty), with its sign bit set (so {@code -0.0} for an empty
     * history) when a record was in flight: decode with {@link #isQuiescent(double)} and {@link Math#abs(double)}.
     */
    public static double meanView(final AtomicBuffer buffer, final int controlOffset, final int capacity)
    {
        return meanViewAt(RecordMemory.base(buffer), RecordMemory.address(buffer, controlOffset, CONTROL_LENGTH), capacity);
    }

    /**
     * {@link #meanView} with the control words addressed directly, in a range the caller checked with
     * {@link RecordMemory#address}. Same reads in the same order; writes nothing; thread-safe, wait-free.
     *
     * @param base           {@link RecordMemory#base} of the buffer.
     * @param controlAddress of the control words, {@link #CONTROL_LENGTH} bytes inside a checked range.
     * @param capacity       of the ring.
     * @return as {@link #meanView}.
     */
    public static double meanViewAt(final Object base, final long controlAddress, final int capacity)
    {
        final long completed = RecordMemory.getLongVolatile(base, controlAddress + COMPLETED_OFFSET) +
            RecordMemory.getLongVolatile(base, controlAddress + CONTENDED_COMPLETED_OFFSET);
        final long sum = RecordMemory.getLongVolatile(base, controlAddress + SUM_OFFSET) +
            RecordMemory.getLongVolatile(base, controlAddress + CONTENDED_SUM_OFFSET);
        final long claimed = RecordMemory.getLongVolatile(base, controlAddress + CLAIMED_OFFSET);
        final double mean = mean(sum, completed, capacity);
        return claimed == completed ? mean : -mean;
    }

    /**
     * Pure.
     *
     * @param view a {@link #meanView} result, or anything carrying its sign-bit convention.
     * @return {@code true} when the view was quiescent (sign bit clear).
     */
    public static boolean isQuiescent(final double view)
    {
        return Double.doubleToRawLongBits(view) >= 0;
    }

    /**
     * Mean of the history without writing anything: up to {@link #MAX_READ_ATTEMPTS} {@link #meanView}s
     * until one is quiescent, else the last one. For readings and for read-only readers, such as a tool
     * that maps another process's state read-only. Thread-safe, wait-free.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param capacity      of the ring.
     * @return the mean in nanoseconds, 0 when the history is empty.
     */
    public static double peekMeanNs(final AtomicBuffer buffer, final int controlOffset, final int capacity)
    {
        double view = 0.0;
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++)
        {
            view = meanView(buffer, controlOffset, capacity);
            if (isQuiescent(view))
            {
                break;
            }
            Thread.onSpinWait();
        }
        return Math.abs(view);
    }

    /**
     * {@link #peekMeanNs}, counting once in {@code nonQuiescentCounterOffset} when no quiescent view was
     * found and the last one was used. Thread-safe, wait-free.
     *
     * @param buffer                    holding the history.
     * @param controlOffset             of the control words.
     * @param capacity                  of the ring.
     * @param nonQuiescentCounterOffset of a counter in {@code buffer}.
     * @return the mean in nanoseconds, 0 when the history is empty.
     */
    public static double meanNs(
        final AtomicBuffer buffer, final int controlOffset, final int capacity, final int nonQuiescentCounterOffset)
    {
        double view = 0.0;
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++)
        {
            view = meanView(buffer, controlOffset, capacity);
            if (isQuiescent(view))
            {
                return view;
            }
            Thread.onSpinWait();
        }
        buffer.getAndAddLong(nonQuiescentCounterOffset, 1); // atomic: readers on any thread count
        return Math.abs(view);
    }

    /**
     * Make a history written by a process that may have been killed mid-record consistent again;
     * single-threaded: before the history is shared. A record in flight is taken as finished, the sum
     * is recomputed from the ring, and the contended words are folded into the claimants' (zeroed). Ring
     * positions no record has reached yet are zeroed, as a fresh ring
     * has them (a stray value there would be subtracted from the sum when evicted).
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param ringOffset    of the ring.
     * @param capacity      of the ring.
     * @throws IllegalStateException when the words cannot come from a history of this capacity, naming
     *                               the word.
     */
    public static void repair(final AtomicBuffer buffer, final int controlOffset, final int ringOffset, final int capacity)
    {
        // Plain loads and stores: single-threaded repair; sharing the history afterwards publishes it.
        final long sum = validate(buffer, controlOffset, ringOffset, capacity);
        final long claimed = buffer.getLong(controlOffset + CLAIMED_OFFSET);
        for (int i = (int)Math.min(claimed, capacity); i < capacity; i++)
        {
            if (buffer.getLong(ringOffset + i * Long.BYTES) != 0) // store only where needed: holes of a sparse file stay
            {
                buffer.putLong(ringOffset + i * Long.BYTES, 0);
            }
        }
        buffer.putLong(controlOffset + COMPLETED_OFFSET, claimed);
        buffer.putLong(controlOffset + SUM_OFFSET, sum);
        buffer.putLong(controlOffset + CONTENDED_COMPLETED_OFFSET, 0);
        buffer.putLong(controlOffset + CONTENDED_SUM_OFFSET, 0);
    }

    /**
     * The read-only half of {@link #repair}: check the words a repair trusts, writing nothing.
     * Single-threaded: before the history is shared.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param ringOffset    of the ring.
     * @param capacity      of the ring.
     * @return the sum of the values a repair keeps.
     * @throws IllegalStateException when the words cannot come from a history of this capacity, naming
     *                               the word.
     */
    public static long validate(final AtomicBuffer buffer, final int controlOffset, final int ringOffset, final int capacity)
    {
        // Plain loads: single-threaded, before the history is shared.
        final long claimed = buffer.getLong(controlOffset + CLAIMED_OFFSET);
        final long claimants = buffer.getLong(controlOffset + COMPLETED_OFFSET);
        final long contended = buffer.getLong(controlOffset + CONTENDED_COMPLETED_OFFSET);
        final long completed = claimants + contended;
        if (claimants < 0 || contended < 0 || completed < 0 || claimed < completed || claimed > MAX_RECORDED ||
            claimed - completed > MAX_IN_FLIGHT)
        {
            throw new IllegalStateException("history claimed " + claimed + ", completed " + claimants + " + " +
                contended + " contended: not 0 <= completed <= claimed <= completed + " + MAX_IN_FLIGHT +
                " <= " + MAX_RECORDED);
        }
        final int length = (int)Math.min(claimed, capacity);
        final long max = maxValueNs(capacity);
        long sum = 0;
        for (int i = 0; i < length; i++)
        {
            final long value = buffer.getLong(ringOffset + i * Long.BYTES);
            if (value < 0 || value > max)
            {
                throw new IllegalStateException("history value " + value + " at ring position " + i +
                    " outside 0.." + max);
            }
            sum += value;
        }
        return sum;
    }

    /**
     * Load a history, oldest first, into an empty one. Single-threaded: before the history is shared.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param ringOffset    of the ring.
     * @param capacity      of the ring.
     * @param valuesNs      at most {@code capacity} inter-arrival times, each {@code >= 0}; clamped as
     *                      {@link #record} clamps.
     */
    public static void load(
        final AtomicBuffer buffer, final int controlOffset, final int ringOffset, final int capacity, final long[] valuesNs)
    {
        final int length = Math.min(valuesNs.length, capacity);
        final int first = valuesNs.length - length;
        long sum = 0;
        for (int i = 0; i < length; i++)
        {
            final long value = Math.min(Math.max(valuesNs[first + i], 0), maxValueNs(capacity));
            buffer.putLong(ringOffset + i * Long.BYTES, value);
            sum += value;
        }
        // Plain stores: single-threaded load; handing the tracker over publishes them.
        buffer.putLong(controlOffset + SUM_OFFSET, sum);
        buffer.putLong(controlOffset + CLAIMED_OFFSET, length);
        buffer.putLong(controlOffset + COMPLETED_OFFSET, length);
        buffer.putLong(controlOffset + CONTENDED_COMPLETED_OFFSET, 0);
        buffer.putLong(controlOffset + CONTENDED_SUM_OFFSET, 0);
    }

    private static double mean(final long sum, final long completed, final int capacity)
    {
        final long length = Math.min(completed, capacity);
        return length <= 0 || sum <= 0 ? 0.0 : (double)sum / length;
    }

    /**
     * Copy the history oldest first into {@code destination}; for diagnostics, not for hot paths.
     * Thread-safe, lock-free, but not a quiescent view: values racing a record may be one heartbeat off.
     *
     * @param buffer        holding the history.
     * @param controlOffset of the control words.
     * @param ringOffset    of the ring.
     * @param capacity      of the ring.
     * @param destination   at least {@code capacity} long.
     * @return number of values copied.
     */
    public static int copyOldestFirst(
        final AtomicBuffer buffer,
        final int controlOffset,
        final int ringOffset,
        final int capacity,
        final long[] destination)
    {
        // volatile: the values of completed records are visible; the ring slots are read volatile too
        // Clamped at 0, so that no word can make a copy leave the ring or the destination.
        final long completed = Math.max(0, completedVolatile(buffer, controlOffset));
        final int length = (int)Math.min(completed, capacity);
        final long first = completed - length;
        for (int i = 0; i < length; i++)
        {
            destination[i] = buffer.getLongVolatile(ringOffset + (int)((first + i) % capacity) * Long.BYTES);
        }
        return length;
    }
}
