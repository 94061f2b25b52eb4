package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.grpc.demo.DemoBackend;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real grpc-netty calls on loopback: the deadline follows the service's round-trip time down and up.
 */
class AdaptiveDeadlineIntegrationTest
{
    private static final long MS = 1_000_000L;
    private static final Duration STATIC = Duration.ofMillis(150);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldLearnAShortDeadlineThenBackOffAndLearnALongerOneWhenTheServiceSlows() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(3, 5 * MS))
        {
            final AdaptiveDeadlineInterceptor adaptive = AdaptiveDeadlineInterceptor.builder(cluster.tracker, "echo")
                .staticDefault(STATIC)
                .floor(Duration.ofMillis(1))
                .ceiling(Duration.ofSeconds(10))
                .build();
            final ManagedChannel channel = cluster.channel(LoopbackCluster.roundRobin(), adaptive);

            assertThat(adaptive.timeoutNs(CallOptions.DEFAULT)).as("nothing learned yet").isEqualTo(STATIC.toNanos());
            int ok = 0;
            for (int i = 0; i < 60; i++)
            {
                ok += LoopbackCluster.call(channel, CallOptions.DEFAULT) ? 1 : 0;
            }
            // A learned deadline of srtt + 4 rttvar over 5 ms round trips is tight: a loaded machine's stall can
            // exceed it now and then, so this asks for most calls, not all.
            assertThat(ok).isGreaterThanOrEqualTo(40);
            final long fastTimeoutNs = adaptive.timeoutNs(CallOptions.DEFAULT);
            assertThat(fastTimeoutNs).as("learned from ~5 ms round trips")
                .isGreaterThanOrEqualTo(5 * MS).isLessThan(STATIC.toNanos());
            // One sample per OK call, give or take a transparent retry (no sample, call OK) or a response that
            // raced the deadline (sample, call DEADLINE_EXCEEDED).
            assertThat(adaptive.tracerFactory().sampleCount()).isBetween((long)ok - 3, (long)ok + 3);

            // The whole service slows to 250 ms: the static deadline can no longer be met at all.
            cluster.backends.forEach(backend -> backend.latency(250 * MS, 0, 0));
            final ManagedChannel plain = cluster.channel(LoopbackCluster.roundRobin());
            assertThat(LoopbackCluster.call(plain, CallOptions.DEFAULT.withDeadlineAfter(STATIC.toMillis(), TimeUnit.MILLISECONDS)))
                .as("a static 150 ms deadline against a 250 ms service").isFalse();

            int consecutiveOk = 0;
            int calls = 0;
            while (consecutiveOk < 5 && calls < 40)
            {
                calls++;
                consecutiveOk = LoopbackCluster.call(channel, CallOptions.DEFAULT) ? consecutiveOk + 1 : 0;
            }
            assertThat(consecutiveOk).as("after %d calls", calls).isEqualTo(5);
            assertThat(adaptive.tracerFactory().timeoutCount()).as("the backoff was needed").isPositive();
            final long slowTimeoutNs = adaptive.timeoutNs(CallOptions.DEFAULT);
            assertThat(slowTimeoutNs).as("learned from 250 ms round trips, longer than the static default")
                .isGreaterThan(250 * MS).isGreaterThan(STATIC.toNanos());
            System.out.printf("adaptive deadline: %.1f ms at 5 ms RTT, %.1f ms at 250 ms RTT (static %d ms); "
                    + "%d calls to converge, %d timeouts%n", fastTimeoutNs / 1e6, slowTimeoutNs / 1e6, STATIC.toMillis(),
                calls, adaptive.tracerFactory().timeoutCount());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldTakeNoSampleFromRetriedAttempts() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(1, 2 * MS))
        {
            // The learned deadline covers one attempt; the floor leaves room for a retry and its backoff.
            final AdaptiveDeadlineInterceptor adaptive = AdaptiveDeadlineInterceptor.builder(cluster.tracker, "echo")
                .staticDefault(Duration.ofSeconds(2)).floor(Duration.ofMillis(500)).build();
            final Map<String, Object> retry = Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", "bb.rtt.demo.Echo")),
                    "retryPolicy", Map.of(
                        "maxAttempts", 3.0, "initialBackoff", "0.005s", "maxBackoff", "0.02s",
                        "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE")))));
            final ManagedChannel channel = cluster.channel(retry, adaptive);
            final RttStreamTracerFactory tracer = adaptive.tracerFactory();

            final DemoBackend backend = cluster.backends.get(0);
            for (int i = 0; i < 20; i++)
            {
                assertThat(LoopbackCluster.call(channel, CallOptions.DEFAULT)).isTrue();
            }
            final long firstAttemptSamples = tracer.sampleCount();
            assertThat(firstAttemptSamples).as("control: first attempts are measured").isGreaterThanOrEqualTo(18);

            backend.attemptMode(DemoBackend.AttemptMode.FAIL_FIRST_ATTEMPT);
            final long skippedBefore = tracer.karnSkippedCount();
            for (int i = 0; i < 20; i++)
            {
                assertThat(LoopbackCluster.call(channel, CallOptions.DEFAULT)).as("the retry succeeds").isTrue();
            }
            assertThat(tracer.sampleCount()).as("retried calls give no sample").isEqualTo(firstAttemptSamples);
            assertThat(tracer.karnSkippedCount() - skippedBefore).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldTakeNoSampleFromHedgedAttempts() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(2, 2 * MS))
        {
            final AdaptiveDeadlineInterceptor adaptive = AdaptiveDeadlineInterceptor.builder(cluster.tracker, "echo")
                .staticDefault(Duration.ofSeconds(2)).build();
            final Map<String, Object> hedging = Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", "bb.rtt.demo.Echo")),
                    "hedgingPolicy", Map.of("maxAttempts", 2.0, "hedgingDelay", "0.03s"))));
            final ManagedChannel channel = cluster.channel(hedging, adaptive);
            final RttStreamTracerFactory tracer = adaptive.tracerFactory();
            cluster.backends.forEach(backend -> backend.attemptMode(DemoBackend.AttemptMode.SLOW_FIRST_ATTEMPT));

            int fast = 0;
            for (int i = 0; i < 15; i++)
            {
                final long start = System.nanoTime();
                assertThat(LoopbackCluster.call(channel, CallOptions.DEFAULT)).isTrue();
                fast += System.nanoTime() - start < 250 * MS ? 1 : 0;
            }
            assertThat(fast).as("the hedge, not the held first attempt, answered").isGreaterThanOrEqualTo(10);
            assertThat(tracer.sampleCount()).as("a hedge gives no sample; the cancelled first attempt neither")
                .isZero();
            assertThat(tracer.karnSkippedCount()).isGreaterThanOrEqualTo(15);
        }
    }
}
