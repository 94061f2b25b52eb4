package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;

/**
 * Settings of an {@link InFlightTracker}, validated by {@link #build()}. Not thread-safe; build on one
 * thread, then hand the tracker to its event loop.
 */
public final class InFlightTrackerBuilder
{
    final RttTracker tracker;
    TimeoutHandler timeoutHandler;
    int capacity = 1024;
    long staticDefaultNs = 100_000_000L;
    long minBudgetNs = 1_000_000L;
    long maxBudgetNs = 10_000_000_000L;
    long tickResolutionNs = 1L << 20;
    int ticksPerWheel = 1024;
    long startTimeNs = System.nanoTime();

    InFlightTrackerBuilder(final RttTracker tracker)
    {
        this.tracker = tracker;
    }

    /**
     * Not thread-safe: one builder per thread.
     *
     * @param handler receives expired requests (required).
     * @return this.
     */
    public InFlightTrackerBuilder timeoutHandler(final TimeoutHandler handler)
    {
        this.timeoutHandler = handler;
        return this;
    }

    /**
     * Not thread-safe: one builder per thread.
     *
     * @param capacity most requests in flight at once (default 1024), 1..2^26.
     * @return this.
     */
    public InFlightTrackerBuilder capacity(final int capacity)
    {
        this.capacity = capacity;
        return this;
    }

    /**
     * Not thread-safe: one builder per thread.
     *
     * @param staticDefaultNs budget when no tier of the tracker is warm (default 100 ms).
     * @return this.
     */
    public InFlightTrackerBuilder staticDefaultNs(final long staticDefaultNs)
    {
        this.staticDefaultNs = staticDefaultNs;
        return this;
    }

    /**
     * Clamp every budget to {@code [minBudgetNs, maxBudgetNs]} (defaults 1 ms and 10 s). Setting both to
     * one value gives a static timeout while still feeding the tracker.
     * Not thread-safe: one builder per thread.
     *
     * @param minBudgetNs floor, {@code >= 0}; keeps a tiny loopback srtt from timing out on scheduling noise.
     * @param maxBudgetNs ceiling, {@code >= minBudgetNs}.
     * @return this.
     */
    public InFlightTrackerBuilder budgetBoundsNs(final long minBudgetNs, final long maxBudgetNs)
    {
        this.minBudgetNs = minBudgetNs;
        this.maxBudgetNs = maxBudgetNs;
        return this;
    }

    /**
     * Not thread-safe: one builder per thread.
     *
     * @param tickResolutionNs timer-wheel tick, a power of two (default 2^20 ns, about 1 ms): the most a
     *                         deadline fires late, beyond the polling interval.
     * @param ticksPerWheel    ticks per revolution, a power of two (default 1024).
     * @return this.
     */
    public InFlightTrackerBuilder wheel(final long tickResolutionNs, final int ticksPerWheel)
    {
        this.tickResolutionNs = tickResolutionNs;
        this.ticksPerWheel = ticksPerWheel;
        return this;
    }

    /**
     * Not thread-safe: one builder per thread.
     *
     * @param startTimeNs origin of the timer wheel on the event loop's clock (default: now).
     * @return this.
     */
    public InFlightTrackerBuilder startTimeNs(final long startTimeNs)
    {
        this.startTimeNs = startTimeNs;
        return this;
    }

    /**
     * Not thread-safe; hand the tracker to its event-loop thread.
     *
     * @return the tracker.
     * @throws IllegalArgumentException naming the first invalid setting.
     * @throws NullPointerException     when the tracker or the handler is missing.
     */
    public InFlightTracker build()
    {
        if (capacity < 1 || capacity > (1 << 26))
        {
            throw new IllegalArgumentException("capacity must be in 1..2^26: " + capacity);
        }
        if (staticDefaultNs < 0)
        {
            throw new IllegalArgumentException("staticDefaultNs must be >= 0: " + staticDefaultNs);
        }
        if (minBudgetNs < 0 || maxBudgetNs < minBudgetNs)
        {
            throw new IllegalArgumentException(
                "budget bounds must satisfy 0 <= minBudgetNs <= maxBudgetNs: " + minBudgetNs + ", " + maxBudgetNs);
        }
        if (tickResolutionNs < 1 || Long.bitCount(tickResolutionNs) != 1)
        {
            throw new IllegalArgumentException("tickResolutionNs must be a power of two: " + tickResolutionNs);
        }
        if (ticksPerWheel < 1 || Integer.bitCount(ticksPerWheel) != 1)
        {
            throw new IllegalArgumentException("ticksPerWheel must be a power of two: " + ticksPerWheel);
        }
        return new InFlightTracker(this);
    }
}
