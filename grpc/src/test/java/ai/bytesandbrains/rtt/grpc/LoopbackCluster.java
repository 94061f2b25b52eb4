package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.demo.DemoBackend;
import ai.bytesandbrains.rtt.grpc.demo.EchoMethod;
import ai.bytesandbrains.rtt.grpc.demo.StaticResolverProvider;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: backends on 127.0.0.1, a tracker, a resolver listing the backends and, when asked, a
 * registered φ-ejection policy under a name of its own. Closes everything it made.
 */
final class LoopbackCluster implements AutoCloseable
{
    private static final AtomicInteger POLICIES = new AtomicInteger();

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable ->
    {
        final Thread thread = new Thread(runnable, "backend-delay");
        thread.setDaemon(true);
        return thread;
    });
    final RttTracker tracker;
    final List<DemoBackend> backends = new ArrayList<>();
    final StaticResolverProvider resolver;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private PhiOutlierEjectionLoadBalancerProvider policy;

    LoopbackCluster(final int backendCount, final long baseDelayNs) throws Exception
    {
        this(backendCount, baseDelayNs, RttTracker.builder().build());
    }

    /** As above, with a tracker of the test's configuration, which the cluster closes. */
    LoopbackCluster(final int backendCount, final long baseDelayNs, final RttTracker tracker) throws Exception
    {
        this.tracker = tracker;
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < backendCount; i++)
        {
            final DemoBackend backend = new DemoBackend("b" + i, scheduler);
            backend.latency(baseDelayNs, 0, 0);
            backends.add(backend);
            addresses.add(backend.address());
        }
        resolver = new StaticResolverProvider(addresses);
        NameResolverRegistry.getDefaultRegistry().register(resolver);
    }

    /** Registers a φ-ejection policy with these settings; returns its name. */
    String registerEjection(final EjectionListener listener)
    {
        final String name = "bb_rtt_outlier_ejection_test" + POLICIES.incrementAndGet();
        policy = new PhiOutlierEjectionLoadBalancerProvider(tracker, name, System::nanoTime, listener, null);
        LoadBalancerRegistry.getDefaultRegistry().register(policy);
        return name;
    }

    /** A channel to the echo service with this service config and these interceptors (the last runs first). */
    ManagedChannel channel(final Map<String, ?> serviceConfig, final ClientInterceptor... interceptors)
    {
        final ManagedChannel channel = NettyChannelBuilder.forTarget(resolver.target("echo"))
            .usePlaintext()
            .defaultServiceConfig(serviceConfig)
            .enableRetry()
            .intercept(interceptors)
            .build();
        channels.add(channel);
        return channel;
    }

    static Map<String, ?> roundRobin()
    {
        return Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
    }

    static Map<String, Object> ejection(
        final String policyName, final double intervalMs, final double baseEjectionMs, final double probationMs)
    {
        return Map.of("loadBalancingConfig", List.of(Map.of(policyName, Map.of(
            "childPolicy", List.of(Map.of("round_robin", Map.of())),
            "intervalMs", intervalMs,
            "baseEjectionMs", baseEjectionMs,
            "maxEjectionMs", 10 * baseEjectionMs,
            "maxEjectionPercent", 50.0,
            "probationMs", probationMs,
            "minHistory", 20.0))));
    }

    /** One blocking echo call; true when it succeeded. */
    static boolean call(final ManagedChannel channel, final CallOptions options)
    {
        try
        {
            ClientCalls.blockingUnaryCall(channel, EchoMethod.CALL, options, new byte[]{1, 2, 3});
            return true;
        }
        catch (final StatusRuntimeException e)
        {
            return false;
        }
    }

    @Override
    public void close() throws Exception
    {
        for (final ManagedChannel channel : channels)
        {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (final DemoBackend backend : backends)
        {
            backend.close();
        }
        NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        if (policy != null)
        {
            LoadBalancerRegistry.getDefaultRegistry().deregister(policy);
        }
        scheduler.shutdownNow();
        tracker.close();
    }
}
