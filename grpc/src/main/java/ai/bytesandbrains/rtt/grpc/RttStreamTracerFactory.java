package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Status;

import java.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Measures each call attempt's round trip to the backend that served it and feeds it to an
 * {@link RttTracker}, keyed by the backend's site ({@link GrpcSiteIds} of the transport's remote address). The
 * first time it meets an address it names the site in the tracker ({@code "127.0.0.1:50051"}), so the
 * tracker's file, {@code rtt-stat} and metrics show backends by address.
 *
 * <p><b>What a round trip is.</b> From the moment the attempt's request headers are sent
 * ({@code outboundHeaders}; {@code streamCreated} if a transport never reports that) to the moment the first
 * response message arrives ({@code inboundMessage(0)}), or to the close for a response without a message. It
 * is recorded only if the attempt then closes with {@link Status#isOk() OK}: an error or a cancellation says
 * nothing reliable about the backend's latency. For a unary call this is the time the deadline has to cover;
 * for a server-streaming call it is the time to the first response.
 *
 * <p><b>Karn's rule.</b> An attempt that is a retry or a hedge ({@link ClientStreamTracer.StreamInfo#getPreviousAttempts()}
 * {@code > 0}) or a transparent retry ({@link ClientStreamTracer.StreamInfo#isTransparentRetry()}) gives no sample: it gets a
 * shared no-op tracer and allocates nothing. Only first attempts are measured. (A first attempt that loses
 * to a hedge is cancelled and gives no sample either, so hedging biases the samples towards the faster
 * first attempts; use hedging delays above the learned budget.)
 *
 * <p><b>Timeouts.</b> A first attempt that closes with {@code DEADLINE_EXCEEDED}, or with any other error once
 * the call's deadline has passed (with retries enabled gRPC closes it {@code CANCELLED}), gives no sample but tells
 * the {@link TimeoutBackoff} shared with {@link AdaptiveDeadlineInterceptor}; a sample resets it.
 *
 * <p><b>Outstanding requests (idle-aware φ).</b> A first attempt is marked outstanding in the tracker
 * ({@link RttTracker#requestStarted}) when its stream is created on a backend, and ended
 * ({@link RttTracker#requestEnded}) when the stream closes, whatever its status (after its sample, if
 * any): with idle-aware φ an idle backend stays LIVE and one that leaves an attempt unanswered accrues
 * silence. Retries and hedges, which get the shared no-op tracer, are not marked. With plain φ the
 * tracker marks nothing.
 *
 * <p><b>Wiring.</b> {@link AdaptiveDeadlineInterceptor} installs this factory on every call it intercepts
 * when built with it; {@link #interceptor()} installs it alone. The chain context is the call's
 * {@link RttCallOptions#CHAIN} or, when absent, this factory's default.
 *
 * <p>Thread-safe: gRPC may call {@link #newClientStreamTracer} from any thread, and the tracer it returns
 * from the transport's threads. Per first attempt it allocates one small tracer object; the tracker calls
 * are lock-free and allocation-free; the site lookup is allocation-free once the backend's address is
 * cached ({@link SiteIdCache}).
 */
public final class RttStreamTracerFactory extends ClientStreamTracer.Factory
{
    /** Addresses whose site ids are cached before the cache is refilled. */
    public static final int DEFAULT_SITE_CACHE_CAPACITY = 4096;

    private static final ClientStreamTracer NO_SAMPLE = new ClientStreamTracer()
    {
    };
    private static final long UNSET = Long.MIN_VALUE;

    private final RttTracker tracker;
    private final ChainContext defaultChain;
    private final LongSupplier nanoClock;
    private final TimeoutBackoff backoff;
    private final SiteIdCache sites;
    private final LongAdder samples = new LongAdder();
    private final LongAdder karnSkipped = new LongAdder();
    private final LongAdder notOk = new LongAdder();
    private final LongAdder timeouts = new LongAdder();

    /**
     * With {@link System#nanoTime()} and a backoff of at most 2^10.
     *
     * @param tracker      receives the round trips.
     * @param defaultChain the context of calls that carry no {@link RttCallOptions#CHAIN}.
     * @throws NullPointerException naming the parameter that is null.
     */
    public RttStreamTracerFactory(final RttTracker tracker, final ChainContext defaultChain)
    {
        this(tracker, defaultChain, System::nanoTime, new TimeoutBackoff(10));
    }

    /**
     * @param tracker      receives the round trips.
     * @param defaultChain the context of calls that carry no {@link RttCallOptions#CHAIN}.
     * @param nanoClock    the monotonic clock of the tracker's other users (its {@code nowNs}).
     * @param backoff      told of first-attempt timeouts and of samples.
     * @throws NullPointerException naming the parameter that is null.
     */
    public RttStreamTracerFactory(
        final RttTracker tracker, final ChainContext defaultChain, final LongSupplier nanoClock,
        final TimeoutBackoff backoff)
    {
        this.tracker = requireNonNull(tracker, "tracker");
        this.defaultChain = requireNonNull(defaultChain, "defaultChain");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.backoff = requireNonNull(backoff, "backoff");
        this.sites = new SiteIdCache(DEFAULT_SITE_CACHE_CAPACITY, tracker); // names each backend once, on a miss
    }

    /**
     * Called by gRPC once per attempt, from any thread.
     *
     * @param info    the attempt.
     * @param headers its headers (not kept).
     * @return a measuring tracer for a first attempt, a shared no-op tracer otherwise.
     */
    @Override
    public ClientStreamTracer newClientStreamTracer(final ClientStreamTracer.StreamInfo info, final Metadata headers)
    {
        if (info.getPreviousAttempts() > 0 || info.isTransparentRetry())
        {
            karnSkipped.increment();
            return NO_SAMPLE;
        }
        final CallOptions options = info.getCallOptions();
        final ChainContext chain = options.getOption(RttCallOptions.CHAIN);
        return new AttemptTracer(chain != null ? chain : defaultChain, options.getDeadline());
    }

    /**
     * Any thread.
     *
     * @return an interceptor that installs this factory on every call and changes nothing else.
     */
    public io.grpc.ClientInterceptor interceptor()
    {
        return new io.grpc.ClientInterceptor()
        {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(
                final io.grpc.MethodDescriptor<Q, R> method, final io.grpc.CallOptions callOptions,
                final io.grpc.Channel next)
            {
                return next.newCall(method, callOptions.withStreamTracerFactory(RttStreamTracerFactory.this));
            }
        };
    }

    /**
     * Any thread.
     *
     * @return the backoff this factory feeds, for {@link AdaptiveDeadlineInterceptor} to read.
     */
    public TimeoutBackoff backoff()
    {
        return backoff;
    }

    /**
     * Any thread.
     *
     * @return the clock the samples are timed with.
     */
    public LongSupplier nanoClock()
    {
        return nanoClock;
    }

    /**
     * Any thread; a moment's value.
     *
     * @return round trips fed to the tracker.
     */
    public long sampleCount()
    {
        return samples.sum();
    }

    /**
     * Any thread; a moment's value.
     *
     * @return retried, hedged or transparently retried attempts that were not measured (Karn's rule).
     */
    public long karnSkippedCount()
    {
        return karnSkipped.sum();
    }

    /**
     * Any thread; a moment's value.
     *
     * @return first attempts that closed with a status other than OK (timeouts included), or with no remote
     * address known, or whose sample the tracker rejected.
     */
    public long unsampledCount()
    {
        return notOk.sum();
    }

    /**
     * Any thread; a moment's value.
     *
     * @return first attempts that closed with {@code DEADLINE_EXCEEDED} or after their call's deadline.
     */
    public long timeoutCount()
    {
        return timeouts.sum();
    }

    private static <T> T requireNonNull(final T value, final String name)
    {
        if (value == null)
        {
            throw new NullPointerException(name);
        }
        return value;
    }

    /**
     * One first attempt. gRPC calls it from the transport's threads and, for the close, possibly from the
     * caller's; the fields are volatile so the close reads what the transport wrote.
     */
    private final class AttemptTracer extends ClientStreamTracer
    {
        private final ChainContext chain;
        private final Deadline deadline;
        private volatile SocketAddress remote;
        private volatile long sentNs = UNSET;
        private volatile long firstResponseNs = UNSET;
        // Volatile: set on the transport's thread at creation, ended by the close on possibly another.
        private volatile long ticket = RttTracker.NO_TICKET;

        AttemptTracer(final ChainContext chain, final Deadline deadline)
        {
            this.chain = chain;
            this.deadline = deadline;
        }

        @Override
        public void streamCreated(final Attributes transportAttrs, final Metadata headers)
        {
            final SocketAddress address = transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            remote = address;
            final long now = nanoClock.getAsLong();
            sentNs = now;
            if (address != null)
            {
                ticket = tracker.requestStarted(sites.siteOf(address), now); // ended by streamClosed, any status
            }
        }

        @Override
        public void outboundHeaders()
        {
            sentNs = nanoClock.getAsLong();
        }

        @Override
        public void inboundMessage(final int seqNo)
        {
            if (seqNo == 0)
            {
                firstResponseNs = nanoClock.getAsLong();
            }
        }

        @Override
        public void streamClosed(final Status status)
        {
            long endNs = UNSET;
            try
            {
                endNs = sample(status);
            }
            finally
            {
                // After the sample, at its time: last-seen moves first, and an answered attempt carries no
                // silence for the trailers that followed its response.
                tracker.requestEnded(ticket, endNs != UNSET ? endNs : nanoClock.getAsLong());
            }
        }

        /** Feed the round trip of an OK close; returns the time it was observed at, or UNSET. */
        private long sample(final Status status)
        {
            if (!status.isOk())
            {
                notOk.increment();
                // With retries enabled the attempt of a call whose deadline fired closes CANCELLED, not
                // DEADLINE_EXCEEDED; the expired deadline is what tells a timeout from a lost hedge.
                if (status.getCode() == Status.Code.DEADLINE_EXCEEDED || (deadline != null && deadline.isExpired()))
                {
                    timeouts.increment();
                    backoff.onTimeout();
                }
                return UNSET;
            }
            final SocketAddress address = remote;
            final long sent = sentNs;
            if (address == null || sent == UNSET)
            {
                notOk.increment();
                return UNSET;
            }
            final long first = firstResponseNs;
            final long endNs = first != UNSET ? first : nanoClock.getAsLong();
            // Through the backend's handle: this cache's lookup replaces the tracker's.
            if (tracker.observeRoundTrip(sites.handleOf(address), chain.chainId(), chain.hopIndex(), endNs - sent, endNs))
            {
                samples.increment();
                backoff.onSuccess();
                return endNs;
            }
            notOk.increment();
            return UNSET;
        }
    }
}
