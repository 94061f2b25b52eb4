package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RttStreamTracerFactoryTest
{
    private static final long MS = 1_000_000L;
    private static final long STATIC = 999 * MS;
    private static final ChainContext SERVICE = ChainContext.forService("echo");

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RttTracker tracker = RttTracker.builder().build();
    private final RttTracker reference = RttTracker.builder().build();
    private final TimeoutBackoff backoff = new TimeoutBackoff(10);
    private final RttStreamTracerFactory factory = new RttStreamTracerFactory(tracker, SERVICE, clock::get, backoff);
    private final InetSocketAddress backend = backend(7001);

    @AfterEach
    void close()
    {
        tracker.close();
        reference.close();
    }

    @Test
    void shouldObserveFromHeadersSentToFirstMessageOnAnOkClose()
    {
        final long[] rtts = {10 * MS, 12 * MS, 9 * MS, 30 * MS};
        for (final long rtt : rtts)
        {
            final long sent = clock.get() + MS / 10;
            runAttempt(firstAttempt(CallOptions.DEFAULT), rtt, true, Status.OK);
            reference.observeRoundTrip(GrpcSiteIds.of(backend), SERVICE.chainId(), 0, rtt, sent + rtt);
        }
        final long site = GrpcSiteIds.of(backend);
        assertThat(factory.sampleCount()).isEqualTo(rtts.length);
        assertThat(tracker.estimateBudgetNs(site, STATIC)).isEqualTo(reference.estimateBudgetNs(site, STATIC))
            .isNotEqualTo(STATIC);
        assertThat(tracker.siteName(site)).as("the backend named by its address").isEqualTo("127.0.0.1:7001");
        assertThat(site).isEqualTo(ai.bytesandbrains.rtt.SiteIds.of("127.0.0.1:7001"));
        assertThat(tracker.estimateBudgetNs(GrpcSiteIds.of("echo"), SERVICE.chainId(), 0, STATIC))
            .as("the chain prior learns the service's latency")
            .isEqualTo(reference.estimateBudgetNs(GrpcSiteIds.of("echo"), SERVICE.chainId(), 0, STATIC))
            .isNotEqualTo(STATIC);
    }

    @Test
    void shouldTimeATrailersOnlyResponseToTheClose()
    {
        for (int i = 0; i < 3; i++)
        {
            runAttempt(firstAttempt(CallOptions.DEFAULT), 8 * MS, false, Status.OK);
        }
        // three samples of exactly 8 ms: srtt 8 ms, rttvar 4 -> 3 -> 2.25 ms
        assertThat(tracker.estimateBudgetNs(GrpcSiteIds.of(backend), STATIC)).isEqualTo(8 * MS + 4 * 2_250_000L);
    }

    @Test
    void shouldTakeNoSampleFromRetriesHedgesOrTransparentRetries()
    {
        for (int i = 0; i < 5; i++)
        {
            runAttempt(info(CallOptions.DEFAULT, 1, false, false), 10 * MS, true, Status.OK);
            runAttempt(info(CallOptions.DEFAULT, 2, false, true), 10 * MS, true, Status.OK);
            runAttempt(info(CallOptions.DEFAULT, 0, true, false), 10 * MS, true, Status.OK);
        }
        assertThat(factory.sampleCount()).isZero();
        assertThat(factory.karnSkippedCount()).isEqualTo(15);
        assertThat(tracker.estimateBudgetNs(GrpcSiteIds.of(backend), STATIC)).isEqualTo(STATIC);
    }

    @Test
    void shouldTakeNoSampleFromAFailedAttemptAndBackOffOnATimeout()
    {
        runAttempt(firstAttempt(CallOptions.DEFAULT), 10 * MS, true, Status.UNAVAILABLE);
        assertThat(backoff.shift()).isZero();
        runAttempt(firstAttempt(CallOptions.DEFAULT), 10 * MS, false, Status.DEADLINE_EXCEEDED);
        runAttempt(firstAttempt(CallOptions.DEFAULT), 10 * MS, false, Status.DEADLINE_EXCEEDED);
        assertThat(backoff.shift()).isEqualTo(2);
        assertThat(factory.sampleCount()).isZero();
        assertThat(factory.timeoutCount()).isEqualTo(2);
        assertThat(factory.unsampledCount()).isEqualTo(3);

        runAttempt(firstAttempt(CallOptions.DEFAULT), 10 * MS, true, Status.OK);
        assertThat(backoff.shift()).isZero();
        assertThat(factory.sampleCount()).isEqualTo(1);
    }

    @Test
    void shouldTellATimeoutFromALostHedgeByTheCallsDeadline() throws Exception
    {
        final CallOptions expired = CallOptions.DEFAULT.withDeadline(Deadline.after(1, TimeUnit.NANOSECONDS));
        Thread.sleep(2);
        runAttempt(firstAttempt(CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.MINUTES)), 10 * MS, false,
            Status.CANCELLED);
        assertThat(backoff.shift()).as("cancelled before its deadline: a lost hedge or a caller's cancel").isZero();
        runAttempt(firstAttempt(expired), 10 * MS, false, Status.CANCELLED);
        assertThat(backoff.shift()).as("cancelled once the deadline passed: how a retriable call times out")
            .isEqualTo(1);
        assertThat(factory.timeoutCount()).isEqualTo(1);
    }

    @Test
    void shouldObserveOnTheCallersChain()
    {
        final ChainContext hop = new ChainContext(0x1234L, 3);
        for (int i = 0; i < 3; i++)
        {
            final long sent = clock.get() + MS / 10;
            runAttempt(firstAttempt(CallOptions.DEFAULT.withOption(RttCallOptions.CHAIN, hop)), 10 * MS, true, Status.OK);
            reference.observeRoundTrip(GrpcSiteIds.of(backend), hop.chainId(), hop.hopIndex(), 10 * MS, sent + 10 * MS);
        }
        final long elsewhere = GrpcSiteIds.of(backend) + 1;
        assertThat(tracker.estimateBudgetNs(elsewhere, hop.chainId(), hop.hopIndex(), STATIC))
            .as("the caller's chain prior")
            .isEqualTo(reference.estimateBudgetNs(elsewhere, hop.chainId(), hop.hopIndex(), STATIC));
        assertThat(tracker.estimateBudgetNs(elsewhere, SERVICE.chainId(), 0, STATIC))
            .as("the default chain learned nothing: its estimate falls through to the global prior")
            .isEqualTo(reference.estimateBudgetNs(elsewhere, SERVICE.chainId(), 0, STATIC))
            .isNotEqualTo(tracker.estimateBudgetNs(elsewhere, hop.chainId(), hop.hopIndex(), STATIC));
    }

    private void runAttempt(
        final ClientStreamTracer.StreamInfo info, final long rttNs, final boolean withMessage, final Status status)
    {
        final ClientStreamTracer tracer = factory.newClientStreamTracer(info, new Metadata());
        tracer.streamCreated(
            Attributes.newBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, backend).build(), new Metadata());
        clock.addAndGet(MS / 10);
        tracer.outboundHeaders();
        clock.addAndGet(rttNs);
        tracer.inboundHeaders();
        if (withMessage)
        {
            tracer.inboundMessage(0);
            clock.addAndGet(2 * MS); // the close comes later and must not count
        }
        tracer.streamClosed(status);
        clock.addAndGet(5 * MS);
    }

    private static ClientStreamTracer.StreamInfo firstAttempt(final CallOptions options)
    {
        return info(options, 0, false, false);
    }

    private static ClientStreamTracer.StreamInfo info(
        final CallOptions options, final int previousAttempts, final boolean transparent, final boolean hedging)
    {
        return ClientStreamTracer.StreamInfo.newBuilder()
            .setCallOptions(options)
            .setPreviousAttempts(previousAttempts)
            .setIsTransparentRetry(transparent)
            .setIsHedging(hedging)
            .build();
    }

    private static InetSocketAddress backend(final int port)
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
