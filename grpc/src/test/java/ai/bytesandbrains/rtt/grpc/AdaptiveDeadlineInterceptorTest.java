package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.demo.EchoMethod;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdaptiveDeadlineInterceptorTest
{
    private static final long MS = 1_000_000L;

    private final RttTracker tracker = RttTracker.builder().build();
    private final CapturingChannel channel = new CapturingChannel();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    @Test
    void shouldUseTheStaticDefaultWhileNothingIsLearned()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().build();
        interceptor.interceptCall(EchoMethod.CALL, CallOptions.DEFAULT, channel);
        assertThat(channel.captured.getDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(400L, 500L);
        assertThat(channel.captured.getStreamTracerFactories()).containsExactly(interceptor.tracerFactory());
    }

    @Test
    void shouldUseTheServicesLearnedBudget()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().build();
        teach(interceptor.defaultChain(), 20 * MS, 5);
        final long expected = tracker.estimateBudgetNs(
            GrpcSiteIds.of("echo"), interceptor.defaultChain().chainId(), 0, interceptor.staticDefaultNs());
        assertThat(expected).isLessThan(100 * MS);
        assertThat(interceptor.timeoutNs(CallOptions.DEFAULT)).isEqualTo(expected);
        interceptor.interceptCall(EchoMethod.CALL, CallOptions.DEFAULT, channel);
        assertThat(channel.captured.getDeadline().timeRemaining(TimeUnit.NANOSECONDS)).isBetween(0L, expected);
    }

    @Test
    void shouldClampToTheFloorAndTheCeiling()
    {
        final AdaptiveDeadlineInterceptor floored = builder().floor(Duration.ofMillis(50)).build();
        teach(floored.defaultChain(), 1 * MS, 5);
        assertThat(floored.timeoutNs(CallOptions.DEFAULT)).isEqualTo(50 * MS);

        final AdaptiveDeadlineInterceptor ceiled = builder().ceiling(Duration.ofMillis(600)).build();
        teach(ceiled.defaultChain(), 2_000 * MS, 20);
        assertThat(ceiled.timeoutNs(CallOptions.DEFAULT)).isEqualTo(600 * MS);
    }

    @Test
    void shouldKeepAnEarlierCallerDeadlineAndReplaceALaterOne()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().build();
        final Deadline early = Deadline.after(50, TimeUnit.MILLISECONDS);
        interceptor.interceptCall(EchoMethod.CALL, CallOptions.DEFAULT.withDeadline(early), channel);
        assertThat(channel.captured.getDeadline()).isSameAs(early);

        final Deadline late = Deadline.after(10, TimeUnit.SECONDS);
        interceptor.interceptCall(EchoMethod.CALL, CallOptions.DEFAULT.withDeadline(late), channel);
        assertThat(channel.captured.getDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(500L);
    }

    @Test
    void shouldUseTheChainTheCallerCarries()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().build();
        final ChainContext hop = new ChainContext(77L, 2);
        teach(hop, 40 * MS, 5);
        final CallOptions options = CallOptions.DEFAULT.withOption(RttCallOptions.CHAIN, hop);
        assertThat(interceptor.timeoutNs(options))
            .isEqualTo(tracker.estimateBudgetNs(GrpcSiteIds.of("echo"), 77L, 2, 500 * MS))
            .isNotEqualTo(interceptor.timeoutNs(CallOptions.DEFAULT));
    }

    @Test
    void shouldBackOffAfterTimeoutsUntilASample()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().build();
        teach(interceptor.defaultChain(), 10 * MS, 5);
        final long learned = interceptor.timeoutNs(CallOptions.DEFAULT);
        interceptor.tracerFactory().backoff().onTimeout();
        interceptor.tracerFactory().backoff().onTimeout();
        assertThat(interceptor.timeoutNs(CallOptions.DEFAULT)).isEqualTo(4 * learned);
        interceptor.tracerFactory().backoff().onSuccess();
        assertThat(interceptor.timeoutNs(CallOptions.DEFAULT)).isEqualTo(learned);
    }

    @Test
    void shouldInstallNoTracerWhenMeasuringIsOff()
    {
        final AdaptiveDeadlineInterceptor interceptor = builder().measureRoundTrips(false).build();
        interceptor.interceptCall(EchoMethod.CALL, CallOptions.DEFAULT, channel);
        assertThat(interceptor.tracerFactory()).isNull();
        assertThat(channel.captured.getStreamTracerFactories()).isEmpty();
    }

    @Test
    void shouldRefuseInvalidConfigurationNamingTheParameter()
    {
        assertThatThrownBy(() -> builder().floor(Duration.ZERO).build()).hasMessageContaining("floor");
        assertThatThrownBy(() -> builder().ceiling(Duration.ofNanos(1)).build()).hasMessageContaining("ceiling");
        assertThatThrownBy(() -> builder().staticDefault(Duration.ofMinutes(5)).build())
            .hasMessageContaining("staticDefault");
        assertThatThrownBy(() -> builder().maxBackoffShift(17).build()).hasMessageContaining("maxBackoffShift");
        assertThatThrownBy(() -> AdaptiveDeadlineInterceptor.builder(tracker, "")).hasMessageContaining("service");
        assertThatThrownBy(() -> new ChainContext(1, 256)).hasMessageContaining("hopIndex");
    }

    private AdaptiveDeadlineInterceptor.Builder builder()
    {
        return AdaptiveDeadlineInterceptor.builder(tracker, "echo")
            .staticDefault(Duration.ofMillis(500))
            .floor(Duration.ofMillis(1))
            .ceiling(Duration.ofSeconds(10));
    }

    /** Round trips to some backend of the service, on the given chain, as the tracer would feed them. */
    private void teach(final ChainContext chain, final long rttNs, final int count)
    {
        long now = 1_000 * MS;
        for (int i = 0; i < count; i++)
        {
            now += 10 * MS;
            tracker.observeRoundTrip(GrpcSiteIds.of("127.0.0.1:1"), chain.chainId(), chain.hopIndex(), rttNs, now);
        }
    }

    private static final class CapturingChannel extends Channel
    {
        CallOptions captured;

        @Override
        public <Q, R> ClientCall<Q, R> newCall(final MethodDescriptor<Q, R> method, final CallOptions options)
        {
            captured = options;
            return new ClientCall<>()
            {
                @Override
                public void start(final Listener<R> listener, final Metadata headers)
                {
                }

                @Override
                public void request(final int numMessages)
                {
                }

                @Override
                public void cancel(final String message, final Throwable cause)
                {
                }

                @Override
                public void halfClose()
                {
                }

                @Override
                public void sendMessage(final Q message)
                {
                }
            };
        }

        @Override
        public String authority()
        {
            return "echo";
        }
    }
}
