package ai.bytesandbrains.rtt.internal;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Direct access to the 64-bit words of one record after one range check for the whole record, as
 * Aeron's hot paths address a term or a counter: the hot paths' way past Agrona's per-access bounds
 * check, and past re-reading the buffer's address fields after every fence.
 *
 * <h2>Why</h2>
 * Each {@link AtomicBuffer} access checks its index against the capacity (unless
 * {@code agrona.disable.bounds.checks} is set) and loads the buffer's address and array fields; after a
 * CAS or a volatile access the JIT must load them again, since another thread could have re-wrapped the
 * buffer. An observe makes about forty such accesses. Here a caller checks the record's range once,
 * {@link #address}, reads the buffer's base once, {@link #base}, and then addresses words as
 * {@code (base, address + wordOffset)}.
 *
 * <h2>Safety</h2>
 * {@link #address} always checks, whatever {@code agrona.disable.bounds.checks} says, so the library
 * stays memory-safe with Agrona's checks on or off: every word a caller then touches lies inside the
 * range it checked (each caller derives word offsets from the same constants that give the length it
 * checked). Words are 8-byte aligned because record offsets are multiples of 8 and buffers are checked
 * with {@code verifyAlignment()} where they are wrapped.
 *
 * <h2>Memory modes</h2>
 * Named as {@link AtomicBuffer}'s methods and with the same semantics (native byte order, as
 * {@link AtomicBuffer} uses for its atomic accesses): {@code getLong} plain, {@code getLongVolatile},
 * {@code getAndAddLong} / {@code getAndSetLong} / {@code compareAndExchangeLong} full fences,
 * {@code putLongRelease}. Static, allocation-free, thread-safe as the accesses they name.
 */
public final class RecordMemory
{
    private RecordMemory()
    {
    }

    /**
     * Check that {@code [offset, offset + length)} lies in {@code buffer} and return its address; any thread.
     *
     * @param buffer the buffer.
     * @param offset of the range.
     * @param length of the range, {@code >= 0}.
     * @return the address of {@code offset}, to be used with {@link #base(AtomicBuffer)} of the same buffer.
     * @throws IndexOutOfBoundsException when the range is not inside the buffer.
     */
    public static long address(final AtomicBuffer buffer, final int offset, final int length)
    {
        final int capacity = buffer.capacity();
        if (offset < 0 || length > capacity - offset) // offset >= 0, so capacity - offset never overflows
        {
            throw outOfRange(offset, length, capacity);
        }
        return buffer.addressOffset() + offset;
    }

    /**
     * Any thread.
     *
     * @param buffer the buffer.
     * @return the object an address of this buffer is relative to: {@code null} for direct and mapped memory.
     */
    public static Object base(final AtomicBuffer buffer)
    {
        return buffer.byteArray();
    }

    /**
     * Plain load.
     *
     * @param base    from {@link #base}.
     * @param address inside a range {@link #address} checked.
     * @return the word.
     */
    public static long getLong(final Object base, final long address)
    {
        return UnsafeApi.getLong(base, address);
    }

    /**
     * Volatile load.
     *
     * @param base    from {@link #base}.
     * @param address inside a range {@link #address} checked.
     * @return the word.
     */
    public static long getLongVolatile(final Object base, final long address)
    {
        return UnsafeApi.getLongVolatile(base, address);
    }

    /**
     * Release store.
     *
     * @param base    from {@link #base}.
     * @param address inside a range {@link #address} checked.
     * @param value   to store.
     */
    public static void putLongRelease(final Object base, final long address, final long value)
    {
        UnsafeApi.putLongRelease(base, address, value);
    }

    /**
     * Atomic add, a full fence.
     *
     * @param base    from {@link #base}.
     * @param address inside a range {@link #address} checked.
     * @param delta   to add.
     * @return the previous value.
     */
    public static long getAndAddLong(final Object base, final long address, final long delta)
    {
        return UnsafeApi.getAndAddLong(base, address, delta);
    }

    /**
     * Atomic swap, a full fence.
     *
     * @param base    from {@link #base}.
     * @param address inside a range {@link #address} checked.
     * @param value   to store.
     * @return the previous value.
     */
    public static long getAndSetLong(final Object base, final long address, final long value)
    {
        return UnsafeApi.getAndSetLong(base, address, value);
    }

    /**
     * Compare-and-exchange, a full fence.
     *
     * @param base     from {@link #base}.
     * @param address  inside a range {@link #address} checked.
     * @param expected the value expected.
     * @param update   the new value.
     * @return the witness: {@code expected} when the exchange happened.
     */
    public static long compareAndExchangeLong(
        final Object base, final long address, final long expected, final long update)
    {
        return UnsafeApi.compareAndExchangeLong(base, address, expected, update);
    }

    private static IndexOutOfBoundsException outOfRange(final int offset, final int length, final int capacity)
    {
        return new IndexOutOfBoundsException(
            "range of " + length + " bytes at " + offset + " outside a buffer of " + capacity + " bytes");
    }
}
