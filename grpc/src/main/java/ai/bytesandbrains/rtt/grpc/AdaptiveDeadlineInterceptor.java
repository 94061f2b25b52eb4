package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.SiteHandle;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Gives each call a deadline learned from the round trips of earlier calls to the same service:
 * {@code clamp(budget * 2^backoff, floor, ceiling)}, and never later than a deadline the caller already set.
 *
 * <p><b>Whose budget.</b> The deadline is chosen before the load balancer picks a backend, so it cannot be
 * the backend's own. It is {@link RttTracker#estimateBudgetNs(long, long, int, long)} for the service's site
 * and the call's {@link ChainContext} ({@link RttCallOptions#CHAIN}, or the service's default context). The
 * tracer observes each round trip on the edge {@code (backend, chain, hop)}, which also feeds the chain prior:
 * with the default context the chain prior is the latency of the service over all its backends, and that is
 * the tier the estimate falls through to. Until it is warm (3 samples) the global prior answers, then the
 * static default.
 *
 * <p><b>Backoff.</b> When built with round-trip measuring on (the default), the interceptor installs an
 * {@link RttStreamTracerFactory} on every call and multiplies the budget by the {@link TimeoutBackoff} factor
 * that the factory keeps: without it, a service that slowed past its budget would time out on every call and
 * never produce the samples that would teach the budget its new latency.
 *
 * <p><b>The caller's deadline wins when it is earlier.</b> A deadline in the {@code CallOptions} earlier than
 * the learned one is kept; gRPC itself applies the current {@code Context}'s deadline on top (the call uses
 * the earliest).
 *
 * <p>Thread-safe: one instance may serve any number of channels and threads. Per call: two volatile reads
 * and the tracker's lock-free, allocation-free estimate; the allocations are gRPC's own
 * ({@code CallOptions.withDeadlineAfter} and {@code withStreamTracerFactory} copies and the
 * {@code Deadline}).
 */
public final class AdaptiveDeadlineInterceptor implements ClientInterceptor
{
    private final RttTracker tracker;
    private final SiteHandle serviceSite; // resolved once: each call's estimate skips the site's lookup
    private final ChainContext defaultChain;
    private final long staticDefaultNs;
    private final long floorNs;
    private final long ceilingNs;
    private final RttStreamTracerFactory tracerFactory;

    private AdaptiveDeadlineInterceptor(final Builder builder)
    {
        this.tracker = builder.tracker;
        this.serviceSite = tracker.siteHandle(GrpcSiteIds.of(builder.service));
        this.defaultChain = ChainContext.forService(builder.service);
        this.staticDefaultNs = builder.staticDefaultNs;
        this.floorNs = builder.floorNs;
        this.ceilingNs = builder.ceilingNs;
        this.tracerFactory = builder.measure
            ? new RttStreamTracerFactory(tracker, defaultChain, builder.nanoClock, new TimeoutBackoff(builder.maxBackoffShift))
            : null;
    }

    /**
     * Any thread; the builder itself is not thread-safe.
     *
     * @param tracker the tracker to learn from (and, with measuring on, to feed).
     * @param service the service's name, for example the channel's target authority; its hash is the
     *                service's site and default chain.
     * @return a builder with a 1 s static default, a 1 ms floor, a 30 s ceiling, measuring on and a backoff of
     * at most 2^10 (the ceiling bounds it first).
     */
    public static Builder builder(final RttTracker tracker, final String service)
    {
        return new Builder(tracker, service);
    }

    /**
     * Called by gRPC for each call, on the caller's thread; thread-safe.
     */
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        final MethodDescriptor<ReqT, RespT> method, final CallOptions callOptions, final Channel next)
    {
        final long timeoutNs = timeoutNs(callOptions);
        CallOptions options = callOptions;
        final Deadline callerDeadline = callOptions.getDeadline();
        if (callerDeadline == null || callerDeadline.timeRemaining(TimeUnit.NANOSECONDS) > timeoutNs)
        {
            options = options.withDeadlineAfter(timeoutNs, TimeUnit.NANOSECONDS);
        }
        if (tracerFactory != null)
        {
            options = options.withStreamTracerFactory(tracerFactory);
        }
        return next.newCall(method, options);
    }

    /**
     * The timeout this interceptor gives a call with these options now, before the caller's own deadline is
     * considered. Thread-safe, lock-free, allocation-free.
     *
     * @param callOptions the call's options (only {@link RttCallOptions#CHAIN} is read).
     * @return {@code clamp(budget * 2^backoff, floor, ceiling)} in nanoseconds.
     */
    public long timeoutNs(final CallOptions callOptions)
    {
        final ChainContext carried = callOptions.getOption(RttCallOptions.CHAIN);
        final ChainContext chain = carried != null ? carried : defaultChain;
        long budgetNs = tracker.estimateBudgetNs(serviceSite, chain.chainId(), chain.hopIndex(), staticDefaultNs);
        if (tracerFactory != null)
        {
            budgetNs = TimeoutBackoff.apply(budgetNs, tracerFactory.backoff().shift());
        }
        return Math.max(floorNs, Math.min(ceilingNs, budgetNs));
    }

    /**
     * Any thread.
     *
     * @return the tracer factory installed on each call, or {@code null} when measuring is off.
     */
    public RttStreamTracerFactory tracerFactory()
    {
        return tracerFactory;
    }

    /**
     * Any thread.
     *
     * @return the context of calls that carry no {@link RttCallOptions#CHAIN}.
     */
    public ChainContext defaultChain()
    {
        return defaultChain;
    }

    /**
     * Any thread.
     *
     * @return the deadline used while nothing is learned, before clamping.
     */
    public long staticDefaultNs()
    {
        return staticDefaultNs;
    }

    /**
     * Configures an {@link AdaptiveDeadlineInterceptor}. Not thread-safe; {@link #build()} checks everything
     * and names the parameter at fault.
     */
    public static final class Builder
    {
        private final RttTracker tracker;
        private final String service;
        private long staticDefaultNs = Duration.ofSeconds(1).toNanos();
        private long floorNs = Duration.ofMillis(1).toNanos();
        private long ceilingNs = Duration.ofSeconds(30).toNanos();
        private boolean measure = true;
        private int maxBackoffShift = 10;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(final RttTracker tracker, final String service)
        {
            if (tracker == null)
            {
                throw new NullPointerException("tracker");
            }
            if (service == null || service.isEmpty())
            {
                throw new IllegalArgumentException("service must be a non-empty name");
            }
            this.tracker = tracker;
            this.service = service;
        }

        /**
         * @param staticDefault the deadline while nothing is learned, within [floor, ceiling].
         * @return this.
         */
        public Builder staticDefault(final Duration staticDefault)
        {
            this.staticDefaultNs = staticDefault.toNanos();
            return this;
        }

        /**
         * @param floor the shortest deadline given, {@code > 0}.
         * @return this.
         */
        public Builder floor(final Duration floor)
        {
            this.floorNs = floor.toNanos();
            return this;
        }

        /**
         * @param ceiling the longest deadline given, {@code >= floor}.
         * @return this.
         */
        public Builder ceiling(final Duration ceiling)
        {
            this.ceilingNs = ceiling.toNanos();
            return this;
        }

        /**
         * @param measure whether to install an {@link RttStreamTracerFactory} on each call (default on); off,
         *                the deadlines come from what others feed the tracker and do not back off.
         * @return this.
         */
        public Builder measureRoundTrips(final boolean measure)
        {
            this.measure = measure;
            return this;
        }

        /**
         * @param maxBackoffShift the largest backoff factor is {@code 2^maxBackoffShift}, 0..16; 0 disables it.
         * @return this.
         */
        public Builder maxBackoffShift(final int maxBackoffShift)
        {
            this.maxBackoffShift = maxBackoffShift;
            return this;
        }

        /**
         * @param nanoClock the monotonic clock of the tracker's users (default {@link System#nanoTime()}).
         * @return this.
         */
        public Builder nanoClock(final LongSupplier nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * Any thread that owns the builder.
         *
         * @return the interceptor.
         * @throws IllegalArgumentException naming the parameter when the floor is not positive, the ceiling is
         *                                  below the floor, the static default is outside them, or the backoff
         *                                  shift is out of range.
         * @throws NullPointerException     naming {@code nanoClock} when it is null.
         * @throws IllegalStateException    when the tracker is already closed (the service's site handle is made here).
         */
        public AdaptiveDeadlineInterceptor build()
        {
            if (floorNs <= 0)
            {
                throw new IllegalArgumentException("floor must be > 0: " + floorNs + " ns");
            }
            if (ceilingNs < floorNs)
            {
                throw new IllegalArgumentException("ceiling must be >= floor: " + ceilingNs + " < " + floorNs + " ns");
            }
            if (staticDefaultNs < floorNs || staticDefaultNs > ceilingNs)
            {
                throw new IllegalArgumentException(
                    "staticDefault must be within [floor, ceiling]: " + staticDefaultNs + " ns");
            }
            if (maxBackoffShift < 0 || maxBackoffShift > TimeoutBackoff.MAX_SHIFT_LIMIT)
            {
                throw new IllegalArgumentException(
                    "maxBackoffShift must be in 0.." + TimeoutBackoff.MAX_SHIFT_LIMIT + ": " + maxBackoffShift);
            }
            if (nanoClock == null)
            {
                throw new NullPointerException("nanoClock");
            }
            return new AdaptiveDeadlineInterceptor(this);
        }
    }
}
