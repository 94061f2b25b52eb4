package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.demo.EchoMethod;
import io.grpc.CallOptions;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The wiring example of {@code grpc/README.md}: the lines between the markers are the README's snippet, and
 * {@link ReadmeExampleTest} checks that the README still shows exactly them and that they work.
 */
final class ReadmeExample
{
    private ReadmeExample()
    {
    }

    static byte[] call(final RttTracker tracker, final String target, final byte[] request) throws Exception
    {
        // README-BEGIN
        // 1. Phi-based ejection: register the policy once per tracker.
        PhiOutlierEjectionLoadBalancerProvider policy = new PhiOutlierEjectionLoadBalancerProvider(tracker);
        LoadBalancerRegistry.getDefaultRegistry().register(policy);

        // 2. Adaptive deadlines; the interceptor also installs the round-trip tracer on every call.
        AdaptiveDeadlineInterceptor deadlines = AdaptiveDeadlineInterceptor.builder(tracker, "echo.internal")
            .staticDefault(Duration.ofSeconds(2)) // until the service has answered: covers connecting
            .floor(Duration.ofMillis(5))
            .ceiling(Duration.ofSeconds(5))
            .build();

        // 3. The channel: the policy wraps round_robin.
        ManagedChannel channel = NettyChannelBuilder.forTarget(target)
            .usePlaintext()
            .defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of(
                PhiOutlierEjectionLoadBalancerProvider.DEFAULT_POLICY_NAME, Map.of(
                    "childPolicy", List.of(Map.of("round_robin", Map.of())),
                    "intervalMs", 100.0, "baseEjectionMs", 5000.0, "probationMs", 1000.0)))))
            .intercept(deadlines)
            .build();

        // 4. Calls need nothing more. A call that is hop 2 of a chain says so, and is budgeted by that chain.
        ChainContext hop = new ChainContext(ChainIds.fromTargets("gateway,search,echo"), 2);
        byte[] reply = ClientCalls.blockingUnaryCall(
            channel, EchoMethod.CALL, CallOptions.DEFAULT.withOption(RttCallOptions.CHAIN, hop), request);
        // README-END
        channel.shutdownNow();
        LoadBalancerRegistry.getDefaultRegistry().deregister(policy);
        return reply;
    }
}
