package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.pause.LocalPauseSink;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A fixed-capacity, lock-free, allocation-free log of the most recent local pauses, answering "how much
 * of {@code [from, to)} was this process paused?" as the measure of the union of the logged intervals.
 *
 <pre>
 *  region in an AtomicBuffer (a tracker's own buffer, so that a reader of its file sees the pauses too)
 *  0        8            16         24         32        40        48            128
 *  +--------+------------+----------+----------+---------+---------+-- pad ------+
 *  | cursor | latest end | recorded | rejected | dropped | clamped |             |   control
 *  +--------+------------+----------+----------+---------+---------+-------------+
 *  | slot 0: stamp | startNs | endNs | slot 1: ...                   ... slot capacity - 1 |
 *  +---------------------------------------------------------------------------------------+
 *  stamp: 0 = empty, 2k + 1 = record k being written, 2k + 2 = record k complete
 *  latest end: stored as endNs ^ Long.MIN_VALUE, so that zeroed memory means "nothing recorded"
 * </pre>
 * All-zero memory is an empty log, so a fresh or cleared region needs no initialisation, and a log over a
 * read-only mapping can be read ({@link #pausedNsEndedWithin}) without a single store.
 * Record {@code k} (the k-th claim of the cursor) goes to slot {@code k & (capacity - 1)}, so the log holds
 * the last {@code capacity} records. The stamp is a per-slot sequence lock whose values are never reused
 * (claims are unique), so a reader that sees the same even stamp before and after reading the two words
 * has a start and an end from the same record.
 *
 * <h2>Clock and valid range</h2>
 * Times are values of one monotonic nanosecond clock (like {@link System#nanoTime()}) compared as signed
 * longs: any long, negative included, is a valid time, but the log assumes the clock does not wrap
 * between the intervals it compares. A valid interval has {@code startNs < endNs} and a length
 * {@code endNs - startNs} that fits in a long and is at most the {@code maxPauseNs} given at
 * construction; anything else is rejected and counted, never thrown. Measures saturate at
 * {@link Long#MAX_VALUE}.
 *
 * <h2>Times from outside</h2>
 * A pause recorded from a bad clock read must not explain silence it never caused. Two rules see to it:
 * {@link #pausedNsEndedWithin(long, long)} counts a pause only once the caller's own time has reached its
 * end, and {@link #clampEndsAfter(long, long)} cuts pauses that end after a present confirmed by other
 * clock reads. Besides the slot writers that record, a clamp is the only other writer: it holds the
 * slot's stamp at the record's own odd value while it lowers the end word, so a slot is never torn.
 *
 * <h2>Concurrency</h2>
 * Any number of threads may record and read at once; nothing blocks and nothing allocates after
 * construction. Slots are not padded: the log is written only when a pause is recorded and scanned only
 * on the rare path where a pause overlaps a silence; the hot-path word, {@link #latestEndNs()}, is
 * written once per pause.
 */
public final class LocalPauseLog implements LocalPauseSink
{
    /** Largest capacity: {@link #pausedNsWithin(long, long)} costs O(capacity<sup>2</sup>) slot reads. */
    public static final int MAX_CAPACITY = 1024;
    /** Offset of the claim cursor in the region. */
    public static final int CURSOR_OFFSET = 0;
    /** Offset of the latest end, stored as {@code endNs ^ Long.MIN_VALUE}. */
    public static final int LATEST_END_OFFSET = CURSOR_OFFSET + Long.BYTES;
    /** Offset of the recorded-pauses counter. */
    public static final int RECORDED_OFFSET = LATEST_END_OFFSET + Long.BYTES;
    /** Offset of the rejected-pauses counter. */
    public static final int REJECTED_OFFSET = RECORDED_OFFSET + Long.BYTES;
    /** Offset of the dropped-pauses counter. */
    public static final int DROPPED_OFFSET = REJECTED_OFFSET + Long.BYTES;
    /** Offset of the cut-pauses counter. */
    public static final int CLAMPED_OFFSET = DROPPED_OFFSET + Long.BYTES;
    /** Bytes of the control words, two cache lines. */
    public static final int CONTROL_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;
    /** Index of the stamp word within a slot. */
    public static final int STAMP_INDEX = 0;
    /** Index of the start word within a slot. */
    public static final int START_INDEX = STAMP_INDEX + 1;
    /** Index of the end word within a slot. */
    public static final int END_INDEX = START_INDEX + 1;
    /** Longs per slot. */
    public static final int SLOT_LONGS = END_INDEX + 1;
    /** Claims a recorder makes before dropping its pause because every slot it drew was being written. */
    public static final int MAX_CLAIM_ATTEMPTS = 8;
    /** Reads of one slot a reader makes before skipping it because it kept being rewritten. */
    public static final int MAX_SLOT_READ_ATTEMPTS = 8;

    private static final long EMPTY_STAMP = 0;
    private static final long WRITING_FLAG = 1;

    private final int capacity;
    private final long maxPauseNs;
    private final int mask;
    private final int maxSweepSteps;
    // Words of the region: slots are seqlocked by their stamps; the cursor hands out unique claims (an
    // atomic add); the latest end is raised by CAS after a record completes; counters take atomic adds.
    private final AtomicBuffer buffer;
    private final int offset;
    private final int slotsOffset;
    // The word every φ reads, addressed from fixed addresses as RecordTable does (no bounds check on each
    // read); the private view over the region keeps a ByteBuffer-backed region reachable for the log's life.
    private final UnsafeBuffer region;
    private final Object latestEndBase;
    private final long latestEndAddress;

    /**
     * Create an empty log that takes pauses of any length. Any thread; share it through a safe publication.
     *
     * @param capacity number of most recent pauses kept: a power of two in {@code [1, MAX_CAPACITY]}.
     * @throws IllegalArgumentException when {@code capacity} is out of range or not a power of two.
     */
    public LocalPauseLog(final int capacity)
    {
        this(capacity, Long.MAX_VALUE);
    }

    /**
     * Create an empty log. Any thread; share it through a safe publication.
     *
     * @param capacity   number of most recent pauses kept: a power of two in {@code [1, MAX_CAPACITY]}.
     * @param maxPauseNs longest pause taken, {@code > 0}: a longer one is implausible as a stall of a live
     *                   process (a bad clock read, another clock base) and is rejected.
     * @throws IllegalArgumentException when {@code capacity} is out of range or not a power of two, or
     *                                  {@code maxPauseNs <= 0}.
     */
    public LocalPauseLog(final int capacity, final long maxPauseNs)
    {
        this(ownBuffer(capacity), 0, capacity, maxPauseNs);
    }

    /**
     * A log over {@code regionLength(capacity)} bytes of {@code buffer} at {@code offset}, which hold an
     * empty log when zeroed. Writes nothing: a log over a read-only mapping may be read, never recorded
     * into. Any thread; share it through a safe publication. The log keeps the address of its hot word, so
     * {@code buffer} must not be re-wrapped while the log is in use.
     *
     * @param buffer     holding the region.
     * @param offset     of the region, a multiple of 8.
     * @param capacity   number of most recent pauses kept: a power of two in {@code [1, MAX_CAPACITY]}.
     * @param maxPauseNs longest pause taken, {@code > 0}.
     * @throws IllegalArgumentException when {@code capacity} is out of range or not a power of two, or
     *                                  {@code maxPauseNs <= 0}, or the region is not inside {@code buffer}.
     */
    public LocalPauseLog(final AtomicBuffer buffer, final int offset, final int capacity, final long maxPauseNs)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException(
                "capacity must be a power of two in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        if (maxPauseNs <= 0)
        {
            throw new IllegalArgumentException("maxPauseNs must be > 0: " + maxPauseNs);
        }
        this.maxPauseNs = maxPauseNs;
        this.capacity = capacity;
        this.mask = capacity - 1;
        // A stable log needs at most one step per end plus one per gap before a start.
        this.maxSweepSteps = 2 * capacity + 2;
        final int length = regionLength(capacity);
        if (offset < 0 || length > buffer.capacity() - offset) // offset >= 0: the difference never overflows
        {
            throw new IllegalArgumentException("a pause log of " + length + " bytes at offset " + offset +
                " does not fit a buffer of " + buffer.capacity() + " bytes");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.slotsOffset = offset + CONTROL_LENGTH;
        this.region = new UnsafeBuffer(buffer, offset, length);
        this.latestEndBase = region.byteArray();
        this.latestEndAddress = region.addressOffset() + LATEST_END_OFFSET;
    }

    /**
     * Pure; any thread.
     *
     * @param capacity number of pauses kept.
     * @return bytes of the region a log of that capacity uses.
     */
    public static int regionLength(final int capacity)
    {
        return CONTROL_LENGTH + capacity * SLOT_LONGS * Long.BYTES;
    }

    /**
     * Empty a log's region with plain stores: for a restart, whose pauses were on another process's clock.
     * Single-threaded, before any log over the region is shared.
     *
     * @param buffer   holding the region.
     * @param offset   of the region.
     * @param capacity of the log.
     */
    public static void clear(final AtomicBuffer buffer, final int offset, final int capacity)
    {
        buffer.setMemory(offset, regionLength(capacity), (byte)0);
    }

    private static AtomicBuffer ownBuffer(final int capacity)
    {
        final int slots = capacity >= 1 && capacity <= MAX_CAPACITY ? capacity : 1; // refused by the constructor
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(regionLength(slots), BitUtil.CACHE_LINE_LENGTH));
    }

    /** Byte offset of the slots' long number {@code index}: slot {@code i}'s words are {@code i * SLOT_LONGS + k}. */
    private int slot(final int index)
    {
        return slotsOffset + index * Long.BYTES;
    }

    /**
     * Record a pause over {@code [startNs, endNs)}, overwriting the oldest record when the log is full.
     *
     * <p>Any number of threads may call this at once; lock-free and allocation-free. Invalid input
     * ({@code endNs <= startNs}, a length that overflows a long or exceeds the {@code maxPauseNs} given at
     * construction) is counted in {@link #rejectedCount()}
     * and returns false; it never throws. A recorder that, {@link #MAX_CLAIM_ATTEMPTS} times in a row, draws
     * a slot another recorder is still writing (more than {@code capacity} records in flight) drops its pause,
     * counts it in {@link #droppedCount()} and returns false: losing a pause only makes the caller less
     * lenient, never more. Racing records take slots in the order of their cursor claims.
     *
     * <p>A record is complete when this method returns: its interval is visible to
     * {@link #pausedNsWithin(long, long)} before {@link #latestEndNs()} covers it.
     *
     * @param startNs start of the pause, inclusive.
     * @param endNs   end of the pause, exclusive.
     * @return true when stored.
     */
    public boolean record(final long startNs, final long endNs)
    {
        if (endNs <= startNs || endNs - startNs < 0 || endNs - startNs > maxPauseNs)
        {
            buffer.getAndAddLong(offset + REJECTED_OFFSET, 1); // atomic: racing recorders never lose a count
            return false;
        }

        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++)
        {
            final long claim = buffer.getAndAddLong(offset + CURSOR_OFFSET, 1); // atomic: claims are unique, so stamps are never reused
            final int base = (int)(claim & mask) * SLOT_LONGS;
            final long writingStamp = (claim << 1) | WRITING_FLAG;
            final long stamp = buffer.getLongVolatile(slot(base + STAMP_INDEX)); // volatile; the CAS below re-checks it
            // Take the slot only from a complete older record; the CAS (a full fence) keeps the data
            // stores below from moving above the odd stamp.
            if ((stamp & WRITING_FLAG) == 0 && stamp < writingStamp &&
                buffer.compareAndSetLong(slot(base + STAMP_INDEX), stamp, writingStamp))
            {
                // Release: a reader that acquires a new data word also sees the odd stamp stored before it.
                buffer.putLongRelease(slot(base + START_INDEX), startNs);
                buffer.putLongRelease(slot(base + END_INDEX), endNs);
                // Release: the even stamp publishes both data words.
                buffer.putLongRelease(slot(base + STAMP_INDEX), writingStamp + 1);
                raiseLatestEnd(endNs); // after the even stamp: a reader of the end finds the record
                buffer.getAndAddLong(offset + RECORDED_OFFSET, 1); // atomic: racing recorders never lose a count
                return true;
            }
        }

        buffer.getAndAddLong(offset + DROPPED_OFFSET, 1); // atomic, as above
        return false;
    }

    /**
     * Same as {@link #record(long, long)}, so that the log can be fed directly by a pause source.
     * Thread-safe, lock-free, allocation-free.
     *
     * @param startNs start of the pause, inclusive.
     * @param endNs   end of the pause, exclusive.
     * @return true when stored.
     */
    public boolean recordLocalPause(final long startNs, final long endNs)
    {
        return record(startNs, endNs);
    }

    /**
     * Largest end of any pause recorded so far, evicted ones included: when it is at or below a site's
     * last-seen time, no logged pause overlaps that site's silence and the adjustment can be skipped.
     *
     * <p>Any thread; one volatile read, so that a reader that sees a pause's end also sees its record.
     *
     * @return the largest end recorded, {@link Long#MIN_VALUE} when nothing was recorded.
     */
    public long latestEndNs()
    {
        return latestEnd(); // volatile: see above
    }

    /**
     * Measure of the union of the logged pauses clipped to {@code [fromNs, toNs)}: a pause reported twice,
     * or by two sources with overlapping intervals, counts once.
     *
     * <p>Any number of threads, concurrently with recorders; lock-free and allocation-free, at most
     * {@code (2 * capacity + 2) * capacity} slot reads. The sweep walks a position from {@code fromNs} to
     * {@code toNs}, at each step reading every slot (acquire on each word, with the stamp checked again after
     * the data, retried up to {@link #MAX_SLOT_READ_ATTEMPTS} times, then skipped) and either jumping over
     * a covered run or to the next start. Counted runs are disjoint and each was covered by a pause present
     * in the log at some instant of the call, so the result never exceeds the union of the pauses recorded up
     * to the return; under concurrent recording it may leave out pauses recorded or evicted during the call
     * (an under-count: the caller is merely less lenient).
     *
     * @param fromNs start of the window, inclusive.
     * @param toNs   end of the window, exclusive.
     * @return paused nanoseconds within the window, 0 when {@code fromNs >= toNs}, at most
     * {@link Long#MAX_VALUE}.
     */
    public long pausedNsWithin(final long fromNs, final long toNs)
    {
        return sweep(fromNs, toNs, Long.MAX_VALUE);
    }

    /**
     * As {@link #pausedNsWithin(long, long)}, counting only the pauses that ended at or before {@code toNs}.
     * A caller whose clock reads {@code toNs} ran at {@code toNs}, so a pause ending later either has not
     * ended for it or was recorded from a bad (future) clock read: it explains none of that caller's
     * silence. This is what φ uses, so that no pause reaches past the time of the call that relies on it.
     *
     * <p>Same threading and cost as {@link #pausedNsWithin(long, long)}.
     *
     * @param fromNs start of the window, inclusive.
     * @param toNs   end of the window, exclusive, and latest end of a pause counted.
     * @return paused nanoseconds within the window, 0 when {@code fromNs >= toNs}, at most
     * {@link Long#MAX_VALUE}.
     */
    public long pausedNsEndedWithin(final long fromNs, final long toNs)
    {
        return sweep(fromNs, toNs, toNs);
    }

    /**
     * Cut short every logged pause that ends after {@code presentNs}: its end becomes
     * {@code max(start, min(end, cutNs))}. For a caller that has confirmed, from consistent clock reads, that
     * the time is {@code presentNs} and that the process ran at {@code cutNs <= presentNs}: a pause ending
     * after the present came from a bad clock read, and none can cover a time the process ran at.
     *
     * <p>Any number of threads, concurrently with recorders and readers; lock-free and allocation-free,
     * O(capacity), and one volatile read when no pause ends after {@code presentNs}. A slot is cut while
     * its stamp is held odd by CAS (so no recorder reuses it meanwhile) and only its end word changes, so a
     * racing reader sees the pause either whole or cut. {@link #latestEndNs()} is not lowered: it stays an
     * upper bound of the ends, as its readers need.
     *
     * @param presentNs the confirmed present.
     * @param cutNs     a confirmed time the process ran at, {@code <= presentNs}.
     * @return pauses cut by this call.
     */
    public int clampEndsAfter(final long presentNs, final long cutNs)
    {
        // volatile: an end raised by a completed record is seen; a record completing later is not cut
        if (latestEnd() <= presentNs)
        {
            return 0;
        }
        int clamped = 0;
        for (int base = 0, limit = capacity * SLOT_LONGS; base < limit; base += SLOT_LONGS)
        {
            for (int attempt = 0; attempt < MAX_SLOT_READ_ATTEMPTS; attempt++)
            {
                // Acquire on every word, as a reader: the second stamp read proves start and end one record's.
                final long stamp = buffer.getLongAcquire(slot(base + STAMP_INDEX));
                if (stamp == EMPTY_STAMP)
                {
                    break;
                }
                if ((stamp & WRITING_FLAG) != 0)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final long startNs = buffer.getLongAcquire(slot(base + START_INDEX));
                final long endNs = buffer.getLongAcquire(slot(base + END_INDEX));
                if (buffer.getLongAcquire(slot(base + STAMP_INDEX)) != stamp)
                {
                    continue;
                }
                if (endNs <= presentNs || cutEnd(startNs, endNs, cutNs) == endNs)
                {
                    break; // nothing to cut: no write, so a cut pause is not cut again and again
                }
                // CAS to the record's own odd stamp: recorders need an even stamp to take the slot, readers
                // retry, and no other record ever holds that value (claims are unique). The CAS also proves
                // the record unchanged since the reads above, but for a racing cut: read the end again.
                if (buffer.compareAndSetLong(slot(base + STAMP_INDEX), stamp, stamp - 1))
                {
                    final long currentEndNs = buffer.getLongVolatile(slot(base + END_INDEX)); // volatile, after the CAS: no cut is lost
                    final long newEndNs = cutEnd(startNs, currentEndNs, cutNs);
                    if (newEndNs < currentEndNs)
                    {
                        buffer.putLongRelease(slot(base + END_INDEX), newEndNs);
                        clamped++;
                    }
                    buffer.putLongRelease(slot(base + STAMP_INDEX), stamp); // release: the even stamp publishes the new end
                    break;
                }
            }
        }
        if (clamped > 0)
        {
            buffer.getAndAddLong(offset + CLAMPED_OFFSET, clamped); // atomic: racing clamps never lose a count
        }
        return clamped;
    }

    /** End of a pause cut at {@code cutNs}: never before its start, never later than it was. */
    private static long cutEnd(final long startNs, final long endNs, final long cutNs)
    {
        return Math.max(startNs, Math.min(endNs, cutNs));
    }

    private long sweep(final long fromNs, final long toNs, final long maxEndNs)
    {
        // volatile: an end seen here was raised after its record was complete
        if (fromNs >= toNs || latestEnd() <= fromNs)
        {
            return 0;
        }

        long pausedNs = 0;
        long positionNs = fromNs;
        for (int step = 0; step < maxSweepSteps && positionNs < toNs; step++)
        {
            long coveredToNs = positionNs;
            long nextStartNs = toNs;
            for (int base = 0, limit = capacity * SLOT_LONGS; base < limit; base += SLOT_LONGS)
            {
                for (int attempt = 0; attempt < MAX_SLOT_READ_ATTEMPTS; attempt++)
                {
                    // Acquire on every word keeps the second stamp read after the data reads.
                    final long stamp = buffer.getLongAcquire(slot(base + STAMP_INDEX));
                    if (stamp == EMPTY_STAMP)
                    {
                        break;
                    }
                    if ((stamp & WRITING_FLAG) != 0)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    final long startNs = buffer.getLongAcquire(slot(base + START_INDEX));
                    final long endNs = buffer.getLongAcquire(slot(base + END_INDEX));
                    if (buffer.getLongAcquire(slot(base + STAMP_INDEX)) != stamp)
                    {
                        continue;
                    }
                    if (endNs > maxEndNs)
                    {
                        break; // not ended by the window's end: absent for this caller
                    }
                    if (startNs <= positionNs)
                    {
                        coveredToNs = Math.max(coveredToNs, endNs);
                    }
                    else
                    {
                        nextStartNs = Math.min(nextStartNs, startNs);
                    }
                    break;
                }
            }

            if (coveredToNs > positionNs)
            {
                // Cannot overflow: the run lies inside one valid interval that starts at or before the position.
                pausedNs = saturatingAdd(pausedNs, Math.min(coveredToNs, toNs) - positionNs);
                positionNs = coveredToNs;
            }
            else
            {
                positionNs = nextStartNs;
            }
        }

        return pausedNs;
    }

    /**
     * Immutable; any thread.
     *
     * @return number of pauses the log keeps.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Pauses stored since construction, evicted ones included; any thread, volatile read.
     *
     * @return stored records.
     */
    public long recordedCount()
    {
        return buffer.getLongVolatile(offset + RECORDED_OFFSET);
    }

    /**
     * Invalid intervals refused by {@link #record(long, long)}; any thread, volatile read.
     *
     * @return rejected records.
     */
    public long rejectedCount()
    {
        return buffer.getLongVolatile(offset + REJECTED_OFFSET);
    }

    /**
     * Valid pauses not stored because every slot drawn was being written by another recorder; any thread,
     * volatile read.
     *
     * @return dropped records.
     */
    public long droppedCount()
    {
        return buffer.getLongVolatile(offset + DROPPED_OFFSET);
    }

    /**
     * Pauses cut by {@link #clampEndsAfter(long, long)}; any thread, volatile read.
     *
     * @return cut records.
     */
    public long clampedCount()
    {
        return buffer.getLongVolatile(offset + CLAMPED_OFFSET);
    }

    /**
     * Immutable; any thread.
     *
     * @return longest pause taken.
     */
    public long maxPauseNs()
    {
        return maxPauseNs;
    }

    private void raiseLatestEnd(final long endNs)
    {
        long current;
        while (endNs > (current = latestEnd())) // volatile: the latest end; the CAS re-checks it
        {
            // CAS: the end only grows, racing raises keep the max
            if (buffer.compareAndSetLong(offset + LATEST_END_OFFSET, current ^ Long.MIN_VALUE, endNs ^ Long.MIN_VALUE))
            {
                return;
            }
        }
    }

    /** The latest end decoded: zeroed memory reads as {@link Long#MIN_VALUE}, "nothing recorded". */
    private long latestEnd()
    {
        return RecordMemory.getLongVolatile(latestEndBase, latestEndAddress) ^ Long.MIN_VALUE;
    }

    private static long saturatingAdd(final long a, final long b)
    {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
