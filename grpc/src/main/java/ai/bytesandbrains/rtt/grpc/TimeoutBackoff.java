package ai.bytesandbrains.rtt.grpc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exponential backoff of the learned deadline after timeouts, as TCP backs off its retransmission timeout
 * (RFC 6298 §5.5): each first-attempt {@code DEADLINE_EXCEEDED} doubles the next deadlines, up to
 * {@code 2^maxShift}, and the next successful round trip resets the factor to 1.
 *
 * <p>Why it is needed: the tracker learns only from round trips that complete, and a call can only complete
 * within its deadline. When a service slows down past {@code srtt + 4 * rttvar} every call would time out and
 * the budget would never learn the new latency. Backing off lets a few calls complete; their samples then
 * raise srtt and rttvar, and the factor returns to 1.
 *
 * <p>Thread-safe and lock-free. {@link #shift()} is one volatile read. {@link #onTimeout()} is one
 * compare-and-set that is not retried: timeouts racing each other may advance the factor once between them,
 * which is what a burst of calls that expired for the same slowdown should do. {@link #onSuccess()} reads
 * first and writes only when the factor is not 1, so successes do not contend on the hot path.
 */
public final class TimeoutBackoff
{
    /** Largest {@code maxShift} accepted: a factor of 2^16. */
    public static final int MAX_SHIFT_LIMIT = 16;

    private final int maxShift;
    private final AtomicInteger shift = new AtomicInteger();

    /**
     * @param maxShift the largest factor is {@code 2^maxShift}; 0..{@value #MAX_SHIFT_LIMIT} (0 disables backoff).
     * @throws IllegalArgumentException naming {@code maxShift} when it is out of range.
     */
    public TimeoutBackoff(final int maxShift)
    {
        if (maxShift < 0 || maxShift > MAX_SHIFT_LIMIT)
        {
            throw new IllegalArgumentException("maxShift must be in 0.." + MAX_SHIFT_LIMIT + ": " + maxShift);
        }
        this.maxShift = maxShift;
    }

    /**
     * A first attempt timed out. Any thread; lock-free, allocation-free.
     */
    public void onTimeout()
    {
        final int current = shift.get();
        if (current < maxShift)
        {
            shift.compareAndSet(current, current + 1);
        }
    }

    /**
     * A round trip completed. Any thread; lock-free, allocation-free; writes only when backed off.
     */
    public void onSuccess()
    {
        if (shift.get() != 0)
        {
            shift.set(0);
        }
    }

    /**
     * Any thread; one volatile read.
     *
     * @return the current exponent: deadlines are multiplied by {@code 2^shift()}.
     */
    public int shift()
    {
        return shift.get();
    }

    /**
     * Pure; any thread.
     *
     * @param budgetNs a learned budget, {@code >= 0}.
     * @param shift    an exponent from {@link #shift()}.
     * @return {@code budgetNs * 2^shift}, saturating at {@link Long#MAX_VALUE}.
     */
    public static long apply(final long budgetNs, final int shift)
    {
        if (shift == 0)
        {
            return budgetNs;
        }
        return budgetNs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : budgetNs << shift;
    }
}
