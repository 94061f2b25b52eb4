package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;

/**
 * Where a call sits for the tracker: a chain id (see {@link ChainIds}) and the zero-based hop index of this
 * call within it. Immutable: build one per service or per chain position once and reuse it on every call, so
 * that carrying it in {@link RttCallOptions#CHAIN} allocates nothing per call.
 *
 * @param chainId  the chain.
 * @param hopIndex the hop, 0..{@value RttTracker#MAX_HOP_INDEX}.
 */
public record ChainContext(long chainId, int hopIndex)
{
    /**
     * Validates the hop index.
     *
     * @param chainId  the chain.
     * @param hopIndex the hop, 0..{@value RttTracker#MAX_HOP_INDEX}.
     * @throws IllegalArgumentException naming {@code hopIndex} when it is outside 0..255.
     */
    public ChainContext
    {
        if (hopIndex < 0 || hopIndex > RttTracker.MAX_HOP_INDEX)
        {
            throw new IllegalArgumentException("hopIndex must be in 0.." + RttTracker.MAX_HOP_INDEX + ": " + hopIndex);
        }
    }

    /**
     * The context of a plain call to a named service: the chain whose {@code chain_targets} string is the
     * service name, hop 0. Its chain prior is then the service's latency over all its backends. Thread-safe.
     *
     * @param serviceName for example the channel's target authority, {@code "greeter.internal:443"}.
     * @return the context.
     */
    public static ChainContext forService(final String serviceName)
    {
        return new ChainContext(ChainIds.fromTargets(serviceName), 0);
    }
}
