package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.demo.DemoBackend;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real grpc-netty calls on loopback through {@link PhiOutlierEjectionLoadBalancer} over {@code round_robin}:
 * a backend that hangs (connections up, no answers) is ejected, probed, and let back in once it answers.
 * Traffic is paced (two client threads, a call then 15 ms of sleep each), so a healthy backend sees a round
 * trip about every 25-30 ms and is Down only after about a second of silence: stalls of a loaded machine
 * stay well below that.
 */
class PhiEjectionIntegrationTest
{
    private static final long MS = 1_000_000L;

    record Event(EjectionListener.Event kind, SocketAddress address, long nowNs)
    {
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldEjectAHungBackendProbeItAndLetItBackOnceItAnswers() throws Exception
    {
        final List<Event> events = new CopyOnWriteArrayList<>();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS))
        {
            final String policy = cluster.registerEjection(
                (kind, address, site, phi, nowNs) -> events.add(new Event(kind, address, nowNs)));
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            final DemoBackend victim = cluster.backends.get(1);

            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500); // every backend builds a φ history
                assertThat(events).as("no ejection while all answer").isEmpty();

                final long hungAt = System.nanoTime();
                victim.hung(true);
                final Event ejected = await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.EJECTED, 5_000);
                final double ejectionSeconds = (ejected.nowNs - hungAt) / 1e9;

                Thread.sleep(100); // calls already sent to it are still running out their deadlines
                final long receivedOut = victim.received();
                Thread.sleep(500); // still within the 800 ms ejection
                assertThat(victim.received()).as("no new call reaches an ejected backend").isEqualTo(receivedOut);

                // Still hung when its ejection ends: probation fails, it goes out again, for longer.
                final Event failed = await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.PROBATION_FAILED, 5_000);
                victim.hung(false);
                final long answeringAt = System.nanoTime();
                final Event recovered = await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.RECOVERED, 8_000);
                final long receivedBack = victim.received();
                Thread.sleep(300);
                assertThat(victim.received()).as("back in the pick").isGreaterThan(receivedBack);

                assertThat(events.stream().filter(e -> !e.address.equals(victim.address())).toList())
                    .as("healthy backends were never ejected").isEmpty();
                System.out.printf("hung backend ejected %.2f s after it hung; probation failed at +%.2f s;"
                        + " answering again at +%.2f s, recovered at +%.2f s%n", ejectionSeconds,
                    (failed.nowNs - hungAt) / 1e9, (answeringAt - hungAt) / 1e9, (recovered.nowNs - hungAt) / 1e9);
                assertThat(recovered.nowNs - answeringAt).as("recovered within the second ejection and a probe")
                    .isLessThan(TimeUnit.SECONDS.toNanos(6));
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldKeepAHungBackendOutWithIdleAwarePhiUntilItAnswers() throws Exception
    {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final RttTracker tracker = RttTracker.builder().idleAwarePhi(true).build();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS, tracker))
        {
            final String policy = cluster.registerEjection(
                (kind, address, site, phi, nowNs) -> events.add(new Event(kind, address, nowNs)));
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            final DemoBackend victim = cluster.backends.get(1);
            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500);
                victim.hung(true);
                // Its calls' unanswered waits add up (held between calls): ejected once they reach Down.
                await(events, e -> e.address.equals(victim.address()) && e.kind == EjectionListener.Event.EJECTED, 10_000);
                // Ejected, it gets no calls and its silence holds: no RECOVERED without a round trip.
                await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.PROBATION_FAILED, 10_000);
                assertThat(events.stream().filter(e -> e.kind == EjectionListener.Event.RECOVERED).toList())
                    .as("not recovered without a round trip").isEmpty();

                victim.hung(false);
                await(events, e -> e.address.equals(victim.address()) && e.kind == EjectionListener.Event.RECOVERED, 8_000);
                assertThat(events.stream().filter(e -> !e.address.equals(victim.address())).toList())
                    .as("healthy backends were never ejected").isEmpty();
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldEjectAKilledBackendAndTakeItBackOnceRestarted() throws Exception
    {
        final List<Event> events = new CopyOnWriteArrayList<>();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS))
        {
            final String policy = cluster.registerEjection(
                (kind, address, site, phi, nowNs) -> events.add(new Event(kind, address, nowNs)));
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            final DemoBackend victim = cluster.backends.get(0);
            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500);
                final long killedAt = System.nanoTime();
                victim.kill();
                final Event ejected = await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.EJECTED, 5_000);
                Thread.sleep(1_000);
                victim.restart();
                final long restartedAt = System.nanoTime();
                final long receivedBefore = victim.received();
                final Event recovered = await(events, e -> e.address.equals(victim.address())
                    && e.kind == EjectionListener.Event.RECOVERED, 15_000);
                Thread.sleep(300);
                assertThat(victim.received()).as("back in the pick").isGreaterThan(receivedBefore);
                assertThat(events.stream().filter(e -> !e.address.equals(victim.address())).toList())
                    .as("healthy backends were never ejected").isEmpty();
                System.out.printf("killed backend ejected %.2f s after it died; restarted at +%.2f s,"
                        + " recovered at +%.2f s%n", (ejected.nowNs - killedAt) / 1e9, (restartedAt - killedAt) / 1e9,
                    (recovered.nowNs - killedAt) / 1e9);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNeverEjectMoreThanTheCapEvenWhenTwoOfThreeHang() throws Exception
    {
        final Set<SocketAddress> out = ConcurrentHashMap.newKeySet();
        final AtomicInteger maxOut = new AtomicInteger();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS))
        {
            final String policy = cluster.registerEjection((kind, address, site, phi, nowNs) ->
            {
                switch (kind)
                {
                    case EJECTED, PROBATION_FAILED -> out.add(address);
                    case PROBATION, RECOVERED -> out.remove(address);
                }
                maxOut.accumulateAndGet(out.size(), Math::max);
            });
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500);
                cluster.backends.get(0).hung(true);
                cluster.backends.get(2).hung(true);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (maxOut.get() == 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(20);
                }
                Thread.sleep(2_000);
            }
            assertThat(maxOut.get()).as("one of three may be out (50 %), never two, never all").isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotEjectAnythingWhenTheClientFallsIdle() throws Exception
    {
        final List<Event> events = new CopyOnWriteArrayList<>();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS))
        {
            final String policy = cluster.registerEjection(
                (kind, address, site, phi, nowNs) -> events.add(new Event(kind, address, nowNs)));
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500);
            }
            final long idleFrom = System.nanoTime();
            Thread.sleep(3_000); // every backend's silence passes the down threshold
            assertThat(cluster.tracker.isDown(GrpcSiteIds.of(cluster.backends.get(0).address()), System.nanoTime()))
                .as("the silence is long enough to look Down").isTrue();
            assertThat(events).as("an idle client is not a dead service (idle since %d ns)", idleFrom).isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepTheChannelWorkingWhenTheListenerThrows() throws Exception
    {
        final List<Event> events = new CopyOnWriteArrayList<>();
        try (LoopbackCluster cluster = new LoopbackCluster(3, 3 * MS))
        {
            final String policy = cluster.registerEjection((kind, address, site, phi, nowNs) ->
            {
                events.add(new Event(kind, address, nowNs));
                throw new IllegalStateException("a listener bug");
            });
            final ManagedChannel channel = cluster.channel(
                LoopbackCluster.ejection(policy, 50, 800, 500), interceptor(cluster));
            final DemoBackend victim = cluster.backends.get(2);
            try (Traffic traffic = new Traffic(channel, 2, 15))
            {
                Thread.sleep(1_500);
                victim.hung(true);
                await(events, e -> e.address.equals(victim.address()) && e.kind == EjectionListener.Event.EJECTED, 5_000);
                Thread.sleep(100);
                final long receivedOut = victim.received();
                int ok = 0;
                for (int i = 0; i < 20; i++)
                {
                    ok += LoopbackCluster.call(channel, CallOptions.DEFAULT) ? 1 : 0;
                }
                assertThat(ok).as("the channel did not panic").isGreaterThanOrEqualTo(15);
                assertThat(victim.received()).as("the ejection stood").isEqualTo(receivedOut);
            }
        }
    }

    private static AdaptiveDeadlineInterceptor interceptor(final LoopbackCluster cluster)
    {
        return AdaptiveDeadlineInterceptor.builder(cluster.tracker, "echo")
            .staticDefault(Duration.ofMillis(500))
            .floor(Duration.ofMillis(50))
            .ceiling(Duration.ofSeconds(2))
            .build();
    }

    private static Event await(final List<Event> events, final Predicate<Event> match, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * MS;
        while (System.nanoTime() < deadline)
        {
            for (final Event event : events)
            {
                if (match.test(event))
                {
                    return event;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such event within " + timeoutMs + " ms; events: " + events);
    }

    /** Client threads, each looping a blocking call then a pause, until closed. */
    private static final class Traffic implements AutoCloseable
    {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Traffic(final ManagedChannel channel, final int threadCount, final long pauseMs)
        {
            for (int i = 0; i < threadCount; i++)
            {
                final Thread thread = new Thread(() ->
                {
                    while (running.get())
                    {
                        LoopbackCluster.call(channel, CallOptions.DEFAULT);
                        try
                        {
                            Thread.sleep(pauseMs);
                        }
                        catch (final InterruptedException e)
                        {
                            return;
                        }
                    }
                }, "traffic-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            for (final Thread thread : threads)
            {
                thread.join(5_000);
            }
        }
    }
}
