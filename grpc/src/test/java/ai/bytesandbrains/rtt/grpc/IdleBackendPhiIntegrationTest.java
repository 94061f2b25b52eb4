package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.demo.EchoMethod;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle peer of request-driven traffic on real gRPC calls over 127.0.0.1: {@link RttStreamTracerFactory} marks each first
 * attempt outstanding from its stream's creation to its close, so with idle-aware φ a backend nobody calls
 * stays LIVE, while one that hangs on a pending call goes DOWN and stays DOWN once the call is given up. With plain φ the same idle backend goes DOWN.
 */
class IdleBackendPhiIntegrationTest
{
    private static final long MS = 1_000_000L;

    private static RttTracker tracker(final boolean idleAware)
    {
        return RttTracker.builder().siteCapacity(16).historyCapacity(1000).idleAwarePhi(idleAware).build();
    }

    /** 200 calls to a 1 ms backend, then 300 ms without calls; returns the transitions scans report then. */
    private static List<PhiState> callThenIdle(final LoopbackCluster cluster, final ManagedChannel channel)
        throws InterruptedException
    {
        for (int i = 0; i < 200; i++)
        {
            assertThat(LoopbackCluster.call(channel, CallOptions.DEFAULT)).isTrue();
        }
        final List<PhiState> transitions = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            Thread.sleep(100);
            cluster.tracker.scanPhi(System.nanoTime(), (site, state, phi) -> transitions.add(state));
        }
        return transitions;
    }

    private static ManagedChannel channel(final LoopbackCluster cluster)
    {
        final RttStreamTracerFactory tracers = new RttStreamTracerFactory(cluster.tracker, ChainContext.forService("echo"));
        return cluster.channel(LoopbackCluster.roundRobin(), tracers.interceptor());
    }

    @Test
    void shouldKeepAnIdleBackendLiveWithIdleAwarePhi() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(1, MS, tracker(true)))
        {
            final ManagedChannel channel = channel(cluster);
            final long site = GrpcSiteIds.of(cluster.backends.get(0).address());

            assertThat(callThenIdle(cluster, channel)).isEmpty();

            assertThat(cluster.tracker.phi(site, System.nanoTime())).isZero();
            final SiteView view = new SiteView();
            assertThat(cluster.tracker.readSite(site, view)).isTrue();
            assertThat(view.outstandingRequests()).as("every closed stream ended its request").isZero();
        }
    }

    @Test
    void shouldReportTheSameIdleBackendDownWithPlainPhi() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(1, MS, tracker(false)))
        {
            assertThat(callThenIdle(cluster, channel(cluster))).endsWith(PhiState.DOWN);
        }
    }

    @Test
    void shouldTakeABackendThatHangsOnAPendingCallDown() throws Exception
    {
        try (LoopbackCluster cluster = new LoopbackCluster(1, MS, tracker(true)))
        {
            final ManagedChannel channel = channel(cluster);
            final long site = GrpcSiteIds.of(cluster.backends.get(0).address());
            assertThat(callThenIdle(cluster, channel)).isEmpty();

            cluster.backends.get(0).hung(true);
            final var pending = ClientCalls.futureUnaryCall(
                channel.newCall(EchoMethod.CALL, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), new byte[]{1});
            final List<PhiState> transitions = new ArrayList<>();
            final long deadline = System.nanoTime() + 5_000 * MS;
            while (!transitions.contains(PhiState.DOWN) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
                cluster.tracker.scanPhi(System.nanoTime(), (s, state, phi) -> transitions.add(state));
            }

            assertThat(transitions).endsWith(PhiState.DOWN);
            pending.cancel(true); // the stream closes CANCELLED: its request ends
            final long ended = System.nanoTime() + 5_000 * MS;
            final SiteView view = new SiteView();
            while (cluster.tracker.readSite(site, view) && view.outstandingRequests() != 0 && System.nanoTime() < ended)
            {
                Thread.sleep(10);
            }
            assertThat(view.outstandingRequests()).isZero();
            // Nothing outstanding, and no answer since: the unanswered wait is held, so it stays DOWN.
            assertThat(cluster.tracker.isDown(site, System.nanoTime() + 10_000 * MS)).isTrue();
        }
    }
}
