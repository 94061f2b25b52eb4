package ai.bytesandbrains.rtt.agent;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.micrometer.RttTrackerMetrics;
import ai.bytesandbrains.rtt.phi.PhiState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static ai.bytesandbrains.rtt.phi.PhiState.DOWN;
import static ai.bytesandbrains.rtt.phi.PhiState.LIVE;
import static ai.bytesandbrains.rtt.phi.PhiState.SUSPECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PhiScanAgentTest
{
    private static final long MS = 1_000_000L;
    private static final long STEP = 10 * MS;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    private final RttTracker tracker = RttTracker.builder()
        .siteCapacity(64)
        .historyCapacity(32)
        .localPauseAwareness(false) // the test clock jumps; no jump is a stall of this process
        .build();
    private final AtomicLong clock = new AtomicLong(1_000 * MS);

    @AfterEach
    void closeTracker()
    {
        tracker.close();
    }

    private PhiScanAgent.Builder agentBuilder()
    {
        return PhiScanAgent.builder(tracker).clock(clock::get).scanInterval(Duration.ofNanos(STEP));
    }

    /** Heartbeats from {@code site} every 10 ms, the clock moving with them and the agent scanning at each. */
    private void beat(final PhiScanAgent agent, final long site, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            clock.addAndGet(STEP);
            tracker.observeRoundTrip(site, MS, clock.get());
            agent.doWork();
        }
    }

    /** Silence: the clock moves 10 ms at a time and the agent scans, {@code steps} times. */
    private void silence(final PhiScanAgent agent, final int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            clock.addAndGet(STEP);
            agent.doWork();
        }
    }

    private static void awaitCount(final List<?> list, final int count, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (list.size() < count)
        {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what + ", have " + list).isNegative();
            Thread.sleep(1);
        }
    }

    /** A subscriber draining on its own thread until stopped, then draining what is left. */
    private static Thread drainer(
        final PhiTransitionSubscription subscription, final List<PhiTransition> received, final AtomicBoolean stop)
    {
        final Thread thread = new Thread(() ->
        {
            while (!stop.get())
            {
                if (subscription.drain(received::add, 16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            while (subscription.drain(received::add, 16) > 0)
            {
                Thread.onSpinWait();
            }
        }, "subscriber");
        thread.start();
        return thread;
    }

    @Test
    void shouldDeliverEveryTransitionOfASiteGoingSilentAndComingBackToSubscribersOnTwoThreads()
        throws InterruptedException
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription first = agent.subscribe(64);
        final PhiTransitionSubscription second = agent.subscribe(64);
        final List<PhiTransition> firstReceived = new CopyOnWriteArrayList<>();
        final List<PhiTransition> secondReceived = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread firstThread = drainer(first, firstReceived, stop);
        final Thread secondThread = drainer(second, secondReceived, stop);

        beat(agent, 5, 20); // mean gap 10 ms: suspect after 8 * 10 ms * ln 10 = 184 ms, down after 368 ms
        final long lastBeat = clock.get();
        silence(agent, 18);
        assertThat(agent.transitionCount()).as("at 180 ms still live").isZero();
        silence(agent, 1);
        final long suspectAt = clock.get();
        silence(agent, 18);
        final long downAt = clock.get();
        assertThat(downAt - lastBeat).isEqualTo(370 * MS);
        silence(agent, 10);
        beat(agent, 5, 1);
        final long backAt = clock.get();
        beat(agent, 5, 5);

        awaitCount(firstReceived, 3, "first subscriber");
        awaitCount(secondReceived, 3, "second subscriber");
        stop.set(true);
        firstThread.join(TimeUnit.SECONDS.toMillis(10));
        secondThread.join(TimeUnit.SECONDS.toMillis(10));

        for (final List<PhiTransition> received : List.of(firstReceived, secondReceived))
        {
            assertThat(received).hasSize(3);
            assertTransition(received.get(0), 5, LIVE, SUSPECT, suspectAt);
            assertThat(received.get(0).phi()).isGreaterThan(8.0).isLessThanOrEqualTo(16.0);
            assertTransition(received.get(1), 5, SUSPECT, DOWN, downAt);
            assertThat(received.get(1).phi()).isGreaterThan(16.0);
            assertTransition(received.get(2), 5, DOWN, LIVE, backAt);
            assertThat(received.get(2).phi()).isLessThanOrEqualTo(8.0);
        }
        assertThat(firstReceived.get(0)).as("one record shared by both queues").isSameAs(secondReceived.get(0));
        assertThat(first.droppedCount()).isZero();
        assertThat(second.droppedCount()).isZero();
        assertThat(agent.transitionCount()).isEqualTo(3);
    }

    private static void assertTransition(
        final PhiTransition transition, final long site, final PhiState from, final PhiState to, final long timeNs)
    {
        assertThat(transition.site()).isEqualTo(site);
        assertThat(transition.oldState()).isEqualTo(from);
        assertThat(transition.newState()).isEqualTo(to);
        assertThat(transition.timeNs()).isEqualTo(timeNs);
    }

    @Test
    void shouldCountAFullQueuePerSubscriberAndNeverBlockTheAgent()
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription stuck = agent.subscribe(4); // never drained
        final PhiTransitionSubscription healthy = agent.subscribe(1024);
        final List<PhiTransition> received = new ArrayList<>();
        for (int cycle = 0; cycle < 5; cycle++)
        {
            // a 10 ms rhythm fills the whole history (32), so the silence below is judged against it
            for (int beat = 0; beat < 40; beat++)
            {
                clock.addAndGet(STEP);
                for (long site = 1; site <= 10; site++)
                {
                    tracker.observeRoundTrip(site, MS, clock.get());
                }
            }
            clock.addAndGet(1_000 * STEP); // long silence: every site goes live -> down in one scan
            assertThat(agent.doWork()).isEqualTo(1 + 10);
            for (long site = 1; site <= 10; site++)
            {
                tracker.observeRoundTrip(site, MS, clock.get());
            }
            clock.addAndGet(STEP);
            assertThat(agent.doWork()).isEqualTo(1 + 10); // down -> live
            healthy.drain(received::add, Integer.MAX_VALUE);
        }

        assertThat(agent.transitionCount()).isEqualTo(100);
        assertThat(received).hasSize(100);
        assertThat(healthy.droppedCount()).isZero();
        assertThat(stuck.capacity()).isEqualTo(4);
        assertThat(stuck.size()).isEqualTo(4);
        assertThat(stuck.droppedCount()).isEqualTo(96);
        final List<PhiTransition> kept = new ArrayList<>();
        assertThat(stuck.drain(kept::add, 100)).isEqualTo(4);
        assertThat(kept).containsExactlyElementsOf(received.subList(0, 4));
    }

    @Test
    void shouldScanOncePerIntervalAndNotBurstAfterFallingBehind()
    {
        final AtomicInteger taskRuns = new AtomicInteger();
        final PhiScanAgent agent = agentBuilder().periodicTask(taskRuns::incrementAndGet, 3).build();

        assertThat(agent.doWork()).as("the first call scans").isEqualTo(1);
        assertThat(agent.doWork()).as("not due").isZero();
        clock.addAndGet(STEP - 1);
        assertThat(agent.doWork()).isZero();
        clock.addAndGet(1);
        assertThat(agent.doWork()).isEqualTo(1);
        clock.addAndGet(STEP + STEP / 2); // late by half an interval: the phase is kept
        assertThat(agent.doWork()).isEqualTo(1);
        clock.addAndGet(STEP / 2);
        assertThat(agent.doWork()).as("due on the original phase").isEqualTo(1);
        clock.addAndGet(10 * STEP); // far behind: one scan, then a fresh schedule
        assertThat(agent.doWork()).isEqualTo(1);
        assertThat(agent.doWork()).isZero();
        clock.addAndGet(STEP - 1);
        assertThat(agent.doWork()).isZero();
        clock.addAndGet(1);
        assertThat(agent.doWork()).isEqualTo(1);

        assertThat(agent.scanCount()).isEqualTo(6);
        assertThat(taskRuns.get()).isEqualTo(2);
    }

    @Test
    void shouldGiveTheOldStateOfASiteEvictedWhileDownAndTrackedAfresh()
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription subscription = agent.subscribe(16);
        final List<PhiTransition> received = new ArrayList<>();
        beat(agent, 9, 10);
        silence(agent, 100); // live -> suspect -> down
        assertThat(tracker.evictSite(9)).isTrue();
        beat(agent, 9, 10); // tracked afresh: live, with nothing reported
        silence(agent, 19); // 190 ms of a 10 ms rhythm: suspect

        subscription.drain(received::add, 16);
        assertThat(received).extracting(PhiTransition::oldState, PhiTransition::newState)
            .containsExactly(
                tuple(LIVE, SUSPECT),
                tuple(SUSPECT, DOWN),
                tuple(LIVE, SUSPECT)); // not DOWN -> SUSPECT: the agent re-read the evicted site
    }

    @Test
    void shouldStopDeliveringToAClosedSubscription()
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription kept = agent.subscribe(16);
        final PhiTransitionSubscription closed = agent.subscribe(16);
        closed.close();
        closed.close();
        assertThat(closed.isClosed()).isTrue();
        assertThat(agent.subscriberCount()).isEqualTo(1);

        beat(agent, 3, 5);
        silence(agent, 100); // live -> suspect -> down

        assertThat(kept.size()).isEqualTo(2);
        assertThat(closed.size()).isZero();
        assertThat(closed.droppedCount()).isZero();
    }

    @Test
    void shouldRunOnAnAgentRunnerAndCloseItsSubscribersFeed() throws InterruptedException
    {
        final PhiScanAgent agent = agentBuilder().roleName("phi-scan-test").build();
        final PhiTransitionSubscription subscription = agent.subscribe(64);
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(MS), errors::add, null, agent);
        final Thread thread = AgentRunner.startOnThread(runner);
        assertThat(thread.getName()).isEqualTo("phi-scan-test");

        for (int i = 0; i < 10; i++)
        {
            tracker.observeRoundTrip(4, MS, clock.addAndGet(STEP));
        }
        final long firstScans = agent.scanCount();
        clock.addAndGet(1_000 * STEP); // the runner's next scan finds site 4 down
        final List<PhiTransition> received = new ArrayList<>();
        final long deadline = System.nanoTime() + WAIT_NS;
        while (received.isEmpty())
        {
            assertThat(System.nanoTime() - deadline).as("waiting for the runner's scan").isNegative();
            subscription.drain(received::add, 16);
            Thread.sleep(1);
        }
        assertThat(agent.scanCount()).isGreaterThan(firstScans);
        assertThat(received).singleElement().satisfies(t ->
        {
            assertThat(t.site()).isEqualTo(4);
            assertThat(t.newState()).isEqualTo(DOWN);
        });
        assertThat(subscription.isPublisherClosed()).isFalse();

        runner.close();

        assertThat(runner.isClosed()).isTrue();
        assertThat(thread.isAlive()).isFalse();
        assertThat(agent.isClosed()).isTrue();
        assertThat(subscription.isPublisherClosed()).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> agent.subscribe(8)).withMessageContaining("closed");
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldDeliverToASubscriberAddedWhileTheAgentRunsOnlyWhatFollows() throws InterruptedException
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription early = agent.subscribe(64);
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(MS), errors::add, null, agent);
        AgentRunner.startOnThread(runner);
        try
        {
            for (int i = 0; i < 10; i++)
            {
                tracker.observeRoundTrip(6, MS, clock.addAndGet(STEP));
            }
            clock.addAndGet(1_000 * STEP);
            final List<PhiTransition> earlyReceived = new ArrayList<>();
            drainUntil(early, earlyReceived, 1);

            final PhiTransitionSubscription late = agent.subscribe(64); // while the runner scans
            tracker.observeRoundTrip(6, MS, clock.addAndGet(STEP)); // back: the next scan finds it live
            clock.addAndGet(STEP);
            final List<PhiTransition> lateReceived = new ArrayList<>();
            drainUntil(late, lateReceived, 1);
            drainUntil(early, earlyReceived, 2);

            assertThat(earlyReceived).extracting(PhiTransition::oldState, PhiTransition::newState)
                .containsExactly(tuple(LIVE, DOWN), tuple(DOWN, LIVE));
            assertThat(lateReceived).containsExactly(earlyReceived.get(1));
            assertThat(agent.subscriberCount()).isEqualTo(2);
        }
        finally
        {
            runner.close();
        }
        assertThat(errors).isEmpty();
    }

    private static void drainUntil(
        final PhiTransitionSubscription subscription, final List<PhiTransition> received, final int count)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (received.size() < count)
        {
            assertThat(System.nanoTime() - deadline).as("waiting for " + count + " transitions").isNegative();
            subscription.drain(received::add, 16);
            Thread.sleep(1);
        }
    }

    @Test
    void shouldCloseAnAgentWhoseRunnerNeverStarted()
    {
        final PhiScanAgent agent = agentBuilder().build();
        final PhiTransitionSubscription subscription = agent.subscribe(8);
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(MS), Throwable::printStackTrace, null, agent);

        runner.close();

        assertThat(agent.isClosed()).isTrue();
        assertThat(subscription.isPublisherClosed()).isTrue();
        assertThat(agent.scanCount()).isZero();
    }

    @Test
    void shouldStopTheRunnerWhenTheTrackerIsClosed() throws InterruptedException
    {
        final PhiScanAgent agent = agentBuilder().build();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(MS), errors::add, null, agent);
        final Thread thread = AgentRunner.startOnThread(runner);
        final long deadline = System.nanoTime() + WAIT_NS;
        while (agent.scanCount() == 0)
        {
            assertThat(System.nanoTime() - deadline).as("waiting for the first scan").isNegative();
            Thread.sleep(1);
        }

        tracker.close();
        clock.addAndGet(STEP);

        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(thread.isAlive()).as("the runner stops by itself").isFalse();
        assertThat(agent.isClosed()).as("onClose ran").isTrue();
        assertThat(errors).as("an expected termination").isEmpty();
        runner.close();
    }

    @Test
    void shouldReportAPeriodicTasksExceptionAndKeepScanning()
    {
        final PhiScanAgent agent = agentBuilder().periodicTask(() ->
        {
            throw new IllegalStateException("refresh failed");
        }, 1).build();

        assertThatThrownBy(agent::doWork).hasMessage("refresh failed");
        assertThat(agent.scanCount()).as("the scan before the task counts").isEqualTo(1);
        clock.addAndGet(STEP);
        assertThatThrownBy(agent::doWork).hasMessage("refresh failed");
        assertThat(agent.scanCount()).isEqualTo(2);
    }

    @Test
    void shouldRefreshMetricsEveryNScans()
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RttTrackerMetrics metrics = RttTrackerMetrics.builder(tracker).clock(clock::get).build())
        {
            metrics.bindTo(registry);
            final PhiScanAgent agent = agentBuilder().periodicTask(metrics::refresh, 5).build();
            tracker.observeRoundTrip(77, MS, clock.get());

            silence(agent, 4);
            assertThat(metrics.siteMeterCount()).isZero();
            silence(agent, 1);
            assertThat(metrics.siteMeterCount()).isEqualTo(1);
            assertThat(registry.find(RttTrackerMetrics.SITE_PHI).tag(RttTrackerMetrics.TAG_PEER, "77").gauge()).isNotNull();
        }
    }

    @Test
    void shouldNotAllocateOnAScanThatFindsNoTransition()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PhiScanAgent agent = agentBuilder().build();
        agent.subscribe(16);
        for (long site = 1; site <= 32; site++)
        {
            for (int i = 0; i < 5; i++)
            {
                tracker.observeRoundTrip(site, MS, clock.get() + i * STEP);
            }
        }
        clock.addAndGet(5 * STEP + 1_000 * STEP);
        agent.doWork(); // every site goes down: these transitions allocate, and the old-state map fills
        assertThat(agent.transitionCount()).isEqualTo(32);
        final long threadId = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) // warm up: JIT, lazily created iterators
        {
            clock.addAndGet(STEP);
            agent.doWork();
        }
        threads.getThreadAllocatedBytes(threadId); // the first call may allocate for itself
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 10_000; i++)
        {
            clock.addAndGet(STEP);
            agent.doWork();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(agent.transitionCount()).isEqualTo(32);
        // One allocation per scan would be at least 16 bytes a scan, 160,000 in all; under one byte per
        // scan leaves room only for the runtime's own incidental allocations on this thread (JIT, class init).
        assertThat(allocated).as("bytes allocated by 10,000 scans of 32 down sites").isLessThan(10_000);
    }

    @Test
    void shouldRejectInvalidConfigurationNamingTheParameter()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> PhiScanAgent.builder(null)).withMessageContaining("tracker");
        final PhiScanAgent.Builder builder = PhiScanAgent.builder(tracker);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.scanInterval(Duration.ZERO))
            .withMessageContaining("scanInterval");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.scanInterval(Duration.ofMillis(-1)))
            .withMessageContaining("scanInterval");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.scanInterval(null))
            .withMessageContaining("scanInterval");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.clock(null)).withMessageContaining("clock");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.periodicTask(null, 1)).withMessageContaining("task");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.periodicTask(() -> { }, 0))
            .withMessageContaining("everyScans");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.roleName(" ")).withMessageContaining("roleName");
        final PhiScanAgent agent = builder.build();
        assertThatIllegalArgumentException().isThrownBy(() -> agent.subscribe(3)).withMessageContaining("queueCapacity");
        assertThatIllegalArgumentException().isThrownBy(() -> agent.subscribe((1 << 30) + 1))
            .withMessageContaining("queueCapacity");
        final PhiTransitionSubscription subscription = agent.subscribe(4);
        assertThatIllegalArgumentException().isThrownBy(() -> subscription.drain(null, 1)).withMessageContaining("consumer");
        assertThatIllegalArgumentException().isThrownBy(() -> subscription.drain(t -> { }, 0)).withMessageContaining("limit");
    }
}
