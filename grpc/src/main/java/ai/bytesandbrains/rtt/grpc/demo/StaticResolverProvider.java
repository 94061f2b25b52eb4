package ai.bytesandbrains.rtt.grpc.demo;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves {@code <scheme>:///<authority>} to a fixed list of backend addresses, one endpoint each. Each
 * instance has its own scheme, so tests and demos can register several side by side in
 * {@code NameResolverRegistry.getDefaultRegistry()}. Immutable; thread-safe.
 */
public final class StaticResolverProvider extends NameResolverProvider
{
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String scheme;
    private final List<EquivalentAddressGroup> groups;

    /**
     * @param addresses the backends.
     */
    public StaticResolverProvider(final List<? extends SocketAddress> addresses)
    {
        this.scheme = "bbrttstatic" + INSTANCES.incrementAndGet();
        final List<EquivalentAddressGroup> list = new ArrayList<>();
        addresses.forEach(address -> list.add(new EquivalentAddressGroup(address)));
        this.groups = List.copyOf(list);
    }

    /**
     * Any thread.
     *
     * @param authority the service name the channel will report as its authority.
     * @return the target string to build a channel for.
     */
    public String target(final String authority)
    {
        return scheme + ":///" + authority;
    }

    /** Pure; any thread. @return {@code true}. */
    @Override
    protected boolean isAvailable()
    {
        return true;
    }

    /** Pure; any thread. @return 5. */
    @Override
    protected int priority()
    {
        return 5;
    }

    /** Pure; any thread. @return this instance's own scheme. */
    @Override
    public String getDefaultScheme()
    {
        return scheme;
    }

    /** Pure; any thread. @return {@link InetSocketAddress}. */
    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes()
    {
        return List.of(InetSocketAddress.class);
    }

    /**
     * Any thread.
     *
     * @param targetUri the channel's target.
     * @param args      unused.
     * @return a resolver that reports the fixed list once, or {@code null} for another scheme.
     */
    @Override
    public NameResolver newNameResolver(final URI targetUri, final NameResolver.Args args)
    {
        if (!scheme.equals(targetUri.getScheme()))
        {
            return null;
        }
        final String authority = targetUri.getPath().isEmpty() ? "backends" : targetUri.getPath().substring(1);
        return new NameResolver()
        {
            @Override
            public String getServiceAuthority()
            {
                return authority;
            }

            @Override
            public void start(final Listener2 listener)
            {
                listener.onResult(ResolutionResult.newBuilder()
                    .setAddresses(groups)
                    .setAttributes(Attributes.EMPTY)
                    .build());
            }

            @Override
            public void shutdown()
            {
            }
        };
    }
}
