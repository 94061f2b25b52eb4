package ai.bytesandbrains.rtt.grpc;

import io.grpc.CallOptions;

/**
 * {@link CallOptions} keys read by {@link AdaptiveDeadlineInterceptor} and {@link RttStreamTracerFactory}.
 * The keys are immutable and thread-safe.
 */
public final class RttCallOptions
{
    /**
     * The chain context of a call: {@code callOptions.withOption(RttCallOptions.CHAIN, context)}, or on a stub
     * {@code stub.withOption(RttCallOptions.CHAIN, context)}. When absent, the interceptor and the tracer use
     * their service's default context. The round trip is observed on the edge {@code (backend, chainId,
     * hopIndex)} and on the chain's prior; the deadline, chosen before the backend is known, comes from the
     * chain's prior (see {@link AdaptiveDeadlineInterceptor}).
     */
    public static final CallOptions.Key<ChainContext> CHAIN = CallOptions.Key.create("bb-rtt.chain");

    private RttCallOptions()
    {
    }
}
