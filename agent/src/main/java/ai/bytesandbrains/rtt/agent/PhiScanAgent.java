package ai.bytesandbrains.rtt.agent;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An Agrona {@link Agent} that runs {@link RttTracker#scanPhi} every scan interval and fans the
 * transitions it finds out to subscribers on other threads.
 *
 * <h2>Schedule</h2>
 * {@link #doWork()} reads the clock; when the next scan is due it scans at that time and returns
 * {@code 1 +} the number of transitions, else it returns 0 and the runner's {@code IdleStrategy} idles.
 * The first call scans at once; scans then follow every interval, and a runner that fell more than one
 * interval behind scans once and starts the schedule again from then (no burst of catch-up scans). A
 * regular schedule matters to the tracker: with local-pause awareness on, a gap between scans much
 * longer than usual is taken for a stall of this process. Pick an idle strategy that wakes well within
 * the interval, e.g. {@code new SleepingIdleStrategy(interval / 10)}.
 *
 * <h2>Fan-out: one SPSC queue per subscriber</h2>
 * {@link #subscribe(int)} gives each subscriber its own bounded JCTools {@code SpscArrayQueue}. One
 * shared queue cannot fan out (each element would reach one consumer only), and every queue has exactly
 * one producer, this agent, and one consumer, the subscriber, so the single-producer single-consumer
 * queue fits and spends no CAS on either side. A full queue drops the transition for that subscriber
 * only and counts it ({@link PhiTransitionSubscription#droppedCount()}); the agent never waits.
 *
 * <h2>Allocation</h2>
 * A scan that finds no transition allocates nothing: the handler given to {@code scanPhi} is a field,
 * and the old-state bookkeeping reuses its map and iterator. Each transition allocates one immutable
 * {@link PhiTransition} (48 bytes), shared by every subscriber, and none when there is no subscriber.
 * Transitions are rare (a few per peer failure), and an immutable record needs no return path: pooled
 * mutable slots would need every one of N subscribers to hand each slot back.
 *
 * <h2>Old state</h2>
 * {@code scanPhi} reports only the new state, so the agent remembers what it last published for each
 * site that is not live, and re-reads those sites from the tracker before each scan. The old state is
 * therefore exact while this agent is the only caller of {@code scanPhi}. When other threads also scan,
 * they take some transitions (the tracker reports each change once, to one scanner) and the old state
 * is what the tracker held before this scan began. A site evicted and tracked afresh during the very
 * scan that reports it may carry the old state of its previous life.
 *
 * <h2>Threading contract</h2>
 * {@link #onStart()}, {@link #doWork()} and {@link #onClose()} are for one thread at a time, the
 * runner's (Agrona's contract for an agent), which makes the agent the single producer of every queue.
 * {@link #subscribe(int)}, the counters and {@link #isClosed()} are thread-safe. When the tracker is
 * closed, the next {@code doWork()} throws an expected {@link AgentTerminationException} and the runner
 * stops; the agent never closes the tracker itself.
 */
public final class PhiScanAgent implements Agent
{
    /** Smallest queue per subscriber: an SPSC array queue smaller than this has no room to look ahead. */
    public static final int MIN_QUEUE_CAPACITY = 4;

    /** Largest queue per subscriber, 2^30 slots. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 30;

    private static final PhiTransitionSubscription[] NO_SUBSCRIPTIONS = new PhiTransitionSubscription[0];

    private final RttTracker tracker;
    private final NanoClock clock;
    private final long scanIntervalNs;
    private final Runnable periodicTask;
    private final int periodicTaskEveryScans;
    private final String roleName;
    private final PhiTransitionHandler handler = this::publish; // one instance: scans allocate no lambda
    private final ReportedStates reportedStates = new ReportedStates();

    // Copy-on-write array: subscribe/close on any thread CAS a new array; the agent reads it once per
    // transition (volatile), so a subscription sees every transition published after it was added.
    private final AtomicReference<PhiTransitionSubscription[]> subscriptions =
        new AtomicReference<>(NO_SUBSCRIPTIONS);
    // Written by the duty thread only: lazySet (a release store) publishes them to readers on any thread.
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong transitions = new AtomicLong();
    private volatile boolean closed; // volatile: set by onClose, read by subscribers on their threads

    private boolean scheduled;
    private long nextScanNs;
    private long scanTimeNs;
    private int scansUntilTask;

    private PhiScanAgent(final Builder builder)
    {
        tracker = builder.tracker;
        clock = builder.clock;
        scanIntervalNs = builder.scanIntervalNs;
        periodicTask = builder.periodicTask;
        periodicTaskEveryScans = builder.periodicTaskEveryScans;
        roleName = builder.roleName;
        scansUntilTask = periodicTaskEveryScans;
    }

    /**
     * Any thread; the builder itself is not thread-safe.
     *
     * @param tracker the tracker to scan.
     * @return a builder: scan every 100 ms on {@link SystemNanoClock}, no periodic task, role
     * {@code "phi-scan"}.
     * @throws IllegalArgumentException when {@code tracker} is null.
     */
    public static Builder builder(final RttTracker tracker)
    {
        return new Builder(tracker);
    }

    /**
     * Add a subscriber with its own queue of {@code queueCapacity} transitions (rounded up to a power
     * of two). Any thread, at any time, also while the agent runs: the subscription receives every
     * transition published after this call returns. Allocates the queue.
     *
     * @param queueCapacity transitions the subscriber may fall behind by before they are dropped,
     *                      {@value #MIN_QUEUE_CAPACITY}..2^30.
     * @return the subscription, to drain from the subscriber's thread.
     * @throws IllegalArgumentException when {@code queueCapacity} is out of range.
     * @throws IllegalStateException    after {@link #onClose()}.
     */
    public PhiTransitionSubscription subscribe(final int queueCapacity)
    {
        if (queueCapacity < MIN_QUEUE_CAPACITY || queueCapacity > MAX_QUEUE_CAPACITY)
        {
            throw new IllegalArgumentException(
                "queueCapacity must be in " + MIN_QUEUE_CAPACITY + ".." + MAX_QUEUE_CAPACITY + " but was " + queueCapacity);
        }
        if (closed)
        {
            throw new IllegalStateException("PhiScanAgent is closed");
        }
        final PhiTransitionSubscription subscription = new PhiTransitionSubscription(this, queueCapacity);
        PhiTransitionSubscription[] current;
        PhiTransitionSubscription[] next;
        do
        {
            current = subscriptions.get();
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = subscription;
        }
        while (!subscriptions.compareAndSet(current, next));
        return subscription;
    }

    /** Any thread: drop {@code subscription} from the array the agent publishes to. */
    void unsubscribe(final PhiTransitionSubscription subscription)
    {
        PhiTransitionSubscription[] current;
        PhiTransitionSubscription[] next;
        do
        {
            current = subscriptions.get();
            final int index = Arrays.asList(current).indexOf(subscription);
            if (index < 0)
            {
                return;
            }
            next = new PhiTransitionSubscription[current.length - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
        }
        while (!subscriptions.compareAndSet(current, next));
    }

    /**
     * Scan when due. The runner's thread only; allocation-free unless a transition is published.
     *
     * @return 0 when no scan was due, else {@code 1 +} the transitions found.
     * @throws AgentTerminationException (expected) once the tracker is closed.
     */
    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (scheduled && nowNs - nextScanNs < 0)
        {
            return 0;
        }
        nextScanNs = scheduled && nowNs - nextScanNs < scanIntervalNs ? nextScanNs + scanIntervalNs : nowNs + scanIntervalNs;
        scheduled = true;

        final int found;
        try
        {
            reportedStates.reconcile(tracker);
            scanTimeNs = nowNs;
            found = tracker.scanPhi(nowNs, handler);
        }
        catch (final IllegalStateException ex)
        {
            if (tracker.isClosed())
            {
                throw new AgentTerminationException("RttTracker is closed", true);
            }
            throw ex;
        }
        scans.lazySet(scans.get() + 1); // single writer
        if (periodicTask != null && --scansUntilTask == 0)
        {
            scansUntilTask = periodicTaskEveryScans;
            periodicTask.run(); // after the scan: its exception reaches the runner's error handler, the scan stands
        }
        return 1 + found;
    }

    /** Called by {@code scanPhi} on the runner's thread for each transition. */
    private void publish(final long site, final PhiState newState, final double phi)
    {
        final PhiState oldState = reportedStates.swap(site, newState);
        transitions.lazySet(transitions.get() + 1); // single writer
        final PhiTransitionSubscription[] targets = subscriptions.get();
        if (targets.length == 0)
        {
            return;
        }
        final PhiTransition transition = new PhiTransition(site, oldState, newState, phi, scanTimeNs);
        for (final PhiTransitionSubscription target : targets)
        {
            target.offer(transition);
        }
    }

    /**
     * Mark the agent closed: subscribers see {@link PhiTransitionSubscription#isPublisherClosed()} and
     * drain what is left; {@link #subscribe} refuses new subscribers. Closes neither the tracker nor
     * anything the periodic task uses. Called by the runner, once, on its thread (or on the closing
     * thread if the runner never started).
     */
    @Override
    public void onClose()
    {
        closed = true;
    }

    /**
     * Thread-safe.
     *
     * @return {@code "phi-scan"} or the configured role name.
     */
    @Override
    public String roleName()
    {
        return roleName;
    }

    /**
     * Thread-safe.
     *
     * @return {@code true} once {@link #onClose()} ran.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return scans completed.
     */
    public long scanCount()
    {
        return scans.get();
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return transitions published (each counted once, however many subscribers).
     */
    public long transitionCount()
    {
        return transitions.get();
    }

    /**
     * Thread-safe; a moment's value.
     *
     * @return subscriptions receiving transitions now.
     */
    public int subscriberCount()
    {
        return subscriptions.get().length;
    }

    /**
     * Configuration of a {@link PhiScanAgent}; invalid values fail at the setter naming the parameter.
     * Not thread-safe.
     */
    public static final class Builder
    {
        private final RttTracker tracker;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private long scanIntervalNs = Duration.ofMillis(100).toNanos();
        private Runnable periodicTask;
        private int periodicTaskEveryScans = 1;
        private String roleName = "phi-scan";

        private Builder(final RttTracker tracker)
        {
            if (tracker == null)
            {
                throw new IllegalArgumentException("tracker must not be null");
            }
            this.tracker = tracker;
        }

        /**
         * @param scanInterval time between scans, positive.
         * @return this.
         * @throws IllegalArgumentException when null or not positive.
         */
        public Builder scanInterval(final Duration scanInterval)
        {
            if (scanInterval == null || scanInterval.isNegative() || scanInterval.isZero())
            {
                throw new IllegalArgumentException("scanInterval must be positive but was " + scanInterval);
            }
            this.scanIntervalNs = scanInterval.toNanos();
            return this;
        }

        /**
         * @param clock the scan time, on the base of the tracker's observe times ({@link System#nanoTime()}
         *              unless the application feeds the tracker another clock).
         * @return this.
         * @throws IllegalArgumentException when null.
         */
        public Builder clock(final NanoClock clock)
        {
            if (clock == null)
            {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /**
         * Run {@code task} on the agent's thread after every {@code everyScans}-th scan, e.g.
         * {@code metrics::refresh} of a {@code RttTrackerMetrics} (module {@code bb-rtt-micrometer}).
         * An exception from it reaches the runner's error handler; the schedule goes on.
         *
         * @param task       what to run.
         * @param everyScans scans between runs, {@code >= 1}.
         * @return this.
         * @throws IllegalArgumentException when {@code task} is null or {@code everyScans < 1}.
         */
        public Builder periodicTask(final Runnable task, final int everyScans)
        {
            if (task == null)
            {
                throw new IllegalArgumentException("task must not be null");
            }
            if (everyScans < 1)
            {
                throw new IllegalArgumentException("everyScans must be >= 1 but was " + everyScans);
            }
            this.periodicTask = task;
            this.periodicTaskEveryScans = everyScans;
            return this;
        }

        /**
         * @param roleName the agent's role name (the runner's thread name), not blank.
         * @return this.
         * @throws IllegalArgumentException when null or blank.
         */
        public Builder roleName(final String roleName)
        {
            if (roleName == null || roleName.isBlank())
            {
                throw new IllegalArgumentException("roleName must not be blank but was " + roleName);
            }
            this.roleName = roleName;
            return this;
        }

        /**
         * @return the agent, with no subscriber yet.
         */
        public PhiScanAgent build()
        {
            return new PhiScanAgent(this);
        }
    }
}
