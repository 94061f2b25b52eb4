package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The requests in flight on one event loop, each with a deadline set from the shared
 * {@link RttTracker}'s budget: on send, record the request and arm its deadline; on the response, feed
 * the elapsed time to {@link RttTracker#observeRoundTrip}; when the deadline passes, hand the request to
 * a {@link TimeoutHandler}.
 *
 * <h2>Deadline</h2>
 * {@code deadline = now + clamp(budget, minBudgetNs, maxBudgetNs)}, where {@code budget} is
 * {@link RttTracker#estimateBudgetNs} for the site (with the chain and hop when given) and the
 * configured static default. A retry under the same request id re-arms it at
 * {@code now + clamp(budget << retries, min, max)}: the exponential backoff of RFC 6298 §5.5. Deadlines
 * live in an Agrona {@link DeadlineTimerWheel}: they fire at the first poll at or after the deadline,
 * up to one tick late.
 *
 * <h2>Karn's rule</h2>
 * A request that was retried ({@link #onRetry}) or hedged ({@link #onHedge}) under the same id yields no
 * RTT sample: its response cannot be matched to one send. Its response still completes it
 * ({@link #RESPONSE_AMBIGUOUS}). To get a clean sample on a retry, resend under a new request id.
 *
 * <h2>Late answers</h2>
 * A request whose deadline passed leaves the table before its {@link TimeoutHandler} runs, so its late
 * answer returns {@link #RESPONSE_UNKNOWN} and feeds nothing. A server that has slowed past its
 * deadlines would then only ever time out and never be learned again. If the request was sent once, its
 * late answer is still a clean round trip: keep {@code sentAtNs} from the handler (for example in the
 * caller's own table of timed-out ids) and feed {@code now - sentAtNs} to
 * {@link RttTracker#observeRoundTrip} when the answer arrives, as the loopback demo does.
 *
 * <h2>Outstanding requests (idle-aware φ)</h2>
 * Every send marks the request outstanding in the tracker ({@link RttTracker#requestStarted}) and keeps
 * its ticket in the slot; the request ends there ({@link RttTracker#requestEnded}) however it leaves the
 * table: on its response (after the sample is fed, so last-seen moves first), on its timeout (before the
 * handler runs) and on {@link #cancel}. A retry or hedge under the same id is the same request: it is
 * not marked again. With plain φ the tracker marks nothing and this costs a field store per send.
 *
 * <h2>Memory</h2>
 * The table is a set of parallel primitive arrays indexed by slot, a free-slot stack, and two Agrona
 * {@link Long2LongHashMap}s (request id to slot, timer id to slot) sized at construction so they never
 * grow. The timer wheel grows a tick's array when more timers than its allocation share one tick, and
 * keeps the larger array: once the busiest tick has been seen, send, response, retry and timeout
 * allocate nothing.
 *
 * <h2>Threading</h2>
 * Not thread-safe: every method must be called from the one event-loop thread that owns this tracker
 * (as in Netty or an Agrona agent). Several loops, each with its own {@code InFlightTracker}, may share
 * one {@link RttTracker}, which is thread-safe. All times come from one monotonic clock, the one used
 * for the tracker's {@code nowNs}.
 */
public final class InFlightTracker
{
    /** {@code hopIndex} of a request sent without a chain context. */
    public static final int NO_HOP = -1;

    /** {@link #onSend} result: the table is full; nothing recorded. */
    public static final long SEND_REJECTED_FULL = -1;
    /** {@link #onSend} result: the request id is already in flight; nothing changed. */
    public static final long SEND_REJECTED_DUPLICATE = -2;
    /** {@link #onRetry} result: the request is not in flight. */
    public static final long NOT_IN_FLIGHT = -3;

    /** {@link #onResponse} result: matched, and its round trip fed to the tracker. */
    public static final int RESPONSE_SAMPLED = 0;
    /** {@link #onResponse} result: matched, but retried or hedged, so no sample (Karn's rule). */
    public static final int RESPONSE_AMBIGUOUS = 1;
    /** {@link #onResponse} result: no such request in flight (late after a timeout, duplicate, unknown). */
    public static final int RESPONSE_UNKNOWN = 2;
    /** {@link #onResponse} result: matched, but the tracker rejected the sample (a clock went backwards). */
    public static final int RESPONSE_REJECTED = 3;

    private static final long MISSING = -1;
    private static final int MAX_BACKOFF_SHIFT = 16;

    private final RttTracker tracker;
    private final TimeoutHandler timeoutHandler;
    private final long staticDefaultNs;
    private final long minBudgetNs;
    private final long maxBudgetNs;
    private final DeadlineTimerWheel wheel;
    private final int ticksPerWheel;
    private final long revolutionNs;
    private final DeadlineTimerWheel.TimerHandler onExpiry = this::onTimerExpiry;
    private final Long2LongHashMap slotByRequest;
    private final Long2LongHashMap slotByTimer;

    private final long[] requestIds;
    private final long[] sites;
    private final long[] chainIds;
    private final int[] hops;
    private final long[] sentAtNs;
    private final long[] deadlineNs;
    private final long[] timerIds;
    private final long[] tickets;
    private final int[] retries;
    private final boolean[] ambiguous;
    private final int[] freeSlots;
    private int freeCount;

    private long lastElapsedNs = -1;
    private long sampledCount;
    private long ambiguousCount;
    private long unknownCount;
    private long timeoutCount;
    private long wheelResyncCount;

    InFlightTracker(final InFlightTrackerBuilder builder)
    {
        this.tracker = Objects.requireNonNull(builder.tracker, "tracker");
        this.timeoutHandler = Objects.requireNonNull(builder.timeoutHandler, "timeoutHandler");
        this.staticDefaultNs = builder.staticDefaultNs;
        this.minBudgetNs = builder.minBudgetNs;
        this.maxBudgetNs = builder.maxBudgetNs;
        final int capacity = builder.capacity;
        wheel = new DeadlineTimerWheel(
            TimeUnit.NANOSECONDS, builder.startTimeNs, builder.tickResolutionNs, builder.ticksPerWheel);
        ticksPerWheel = builder.ticksPerWheel;
        // Saturates: a revolution longer than a long can hold is never "far".
        revolutionNs = builder.tickResolutionNs > Long.MAX_VALUE / ticksPerWheel ?
            Long.MAX_VALUE : builder.tickResolutionNs * ticksPerWheel;
        slotByRequest = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        slotByTimer = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        requestIds = new long[capacity];
        sites = new long[capacity];
        chainIds = new long[capacity];
        hops = new int[capacity];
        sentAtNs = new long[capacity];
        deadlineNs = new long[capacity];
        timerIds = new long[capacity];
        tickets = new long[capacity];
        retries = new int[capacity];
        ambiguous = new boolean[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /**
     * Any thread; the builder is not thread-safe.
     *
     * @param tracker the shared tracker that supplies budgets and receives samples.
     * @return a builder.
     */
    public static InFlightTrackerBuilder builder(final RttTracker tracker)
    {
        return new InFlightTrackerBuilder(tracker);
    }

    /**
     * Record a send to {@code site} with no chain context and arm its deadline. Event-loop thread only.
     *
     * @param requestId the request's correlation id, unique among those in flight.
     * @param site      the site it goes to.
     * @param nowNs     the send time.
     * @return the absolute deadline, or {@link #SEND_REJECTED_FULL} / {@link #SEND_REJECTED_DUPLICATE}.
     */
    public long onSend(final long requestId, final long site, final long nowNs)
    {
        return send(requestId, site, 0, NO_HOP, nowNs, tracker.estimateBudgetNs(site, staticDefaultNs));
    }

    /**
     * Record a send to {@code site} as hop {@code hopIndex} of {@code chainId} and arm its deadline from
     * the chain-aware budget. Event-loop thread only.
     *
     * @param requestId the request's correlation id, unique among those in flight.
     * @param site      the site it goes to.
     * @param chainId   the chain.
     * @param hopIndex  the hop, 0..255.
     * @param nowNs     the send time.
     * @return the absolute deadline, or {@link #SEND_REJECTED_FULL} / {@link #SEND_REJECTED_DUPLICATE}.
     * @throws IllegalArgumentException when {@code hopIndex} is outside 0..255.
     */
    public long onSend(final long requestId, final long site, final long chainId, final int hopIndex, final long nowNs)
    {
        final long budget = tracker.estimateBudgetNs(site, chainId, hopIndex, staticDefaultNs);
        return send(requestId, site, chainId, hopIndex, nowNs, budget);
    }

    private long send(
        final long requestId, final long site, final long chainId, final int hop, final long nowNs, final long budget)
    {
        if (freeCount == 0)
        {
            return slotByRequest.containsKey(requestId) ? SEND_REJECTED_DUPLICATE : SEND_REJECTED_FULL;
        }
        final int slot = freeSlots[freeCount - 1];
        final long previous = slotByRequest.put(requestId, slot); // one probe: insert, undo if a duplicate
        if (previous != MISSING)
        {
            slotByRequest.put(requestId, previous);
            return SEND_REJECTED_DUPLICATE;
        }
        freeCount--;
        requestIds[slot] = requestId;
        sites[slot] = site;
        chainIds[slot] = chainId;
        hops[slot] = hop;
        sentAtNs[slot] = nowNs;
        retries[slot] = 0;
        ambiguous[slot] = false;
        tickets[slot] = tracker.requestStarted(site, nowNs); // ended on response, timeout or cancel
        return arm(slot, deadline(nowNs, budget));
    }

    /**
     * The request was sent again under the same id: from now on it gives no RTT sample (Karn's rule), and
     * its deadline is re-armed at {@code now + clamp(budget << retries)}. Event-loop thread only.
     *
     * @param requestId the request.
     * @param nowNs     the time of the resend.
     * @return the new absolute deadline, or {@link #NOT_IN_FLIGHT}.
     */
    public long onRetry(final long requestId, final long nowNs)
    {
        final int slot = (int)slotByRequest.get(requestId);
        if (slot < 0)
        {
            return NOT_IN_FLIGHT;
        }
        ambiguous[slot] = true;
        final int shift = Math.min(++retries[slot], MAX_BACKOFF_SHIFT);
        final long budget = hops[slot] == NO_HOP ?
            tracker.estimateBudgetNs(sites[slot], staticDefaultNs) :
            tracker.estimateBudgetNs(sites[slot], chainIds[slot], hops[slot], staticDefaultNs);
        final long backedOff = budget > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : budget << shift;
        disarm(slot);
        return arm(slot, deadline(nowNs, backedOff));
    }

    /**
     * The request was also sent elsewhere (or again) under the same id while this send is pending: it
     * gives no RTT sample (Karn's rule); its deadline is unchanged. Event-loop thread only.
     *
     * @param requestId the request.
     * @return {@code false} when it is not in flight.
     */
    public boolean onHedge(final long requestId)
    {
        final int slot = (int)slotByRequest.get(requestId);
        if (slot < 0)
        {
            return false;
        }
        ambiguous[slot] = true;
        return true;
    }

    /**
     * The response to {@code requestId} arrived: complete the request, cancel its deadline and, unless
     * Karn's rule applies, feed {@code nowNs - sentAt} to {@link RttTracker#observeRoundTrip} (with its
     * chain and hop when it was sent with them). Event-loop thread only.
     *
     * @param requestId the request.
     * @param nowNs     the arrival time.
     * @return {@link #RESPONSE_SAMPLED}, {@link #RESPONSE_AMBIGUOUS}, {@link #RESPONSE_UNKNOWN} or
     * {@link #RESPONSE_REJECTED}; when matched, {@link #lastElapsedNs()} holds its elapsed time.
     */
    public int onResponse(final long requestId, final long nowNs)
    {
        final int slot = (int)slotByRequest.remove(requestId);
        if (slot < 0)
        {
            unknownCount++;
            return RESPONSE_UNKNOWN;
        }
        disarm(slot);
        final long elapsed = nowNs - sentAtNs[slot];
        lastElapsedNs = elapsed;
        final boolean wasAmbiguous = ambiguous[slot];
        final long site = sites[slot];
        final long chainId = chainIds[slot];
        final int hop = hops[slot];
        final long ticket = tickets[slot];
        freeSlots[freeCount++] = slot;
        if (wasAmbiguous)
        {
            tracker.requestEnded(ticket, nowNs);
            ambiguousCount++;
            return RESPONSE_AMBIGUOUS;
        }
        final boolean accepted = hop == NO_HOP ?
            tracker.observeRoundTrip(site, elapsed, nowNs) :
            tracker.observeRoundTrip(site, chainId, hop, elapsed, nowNs);
        tracker.requestEnded(ticket, nowNs); // after the observe: last-seen moves before the count drops
        if (!accepted)
        {
            return RESPONSE_REJECTED;
        }
        sampledCount++;
        return RESPONSE_SAMPLED;
    }

    /**
     * Forget a request without a sample or a timeout (the caller gave up on it). Event-loop thread only. For
     * idle-aware φ it ends as of its send time, so its wait adds no silence; {@link #cancel(long, long)}
     * counts the wait.
     *
     * @param requestId the request.
     * @return {@code false} when it was not in flight.
     */
    public boolean cancel(final long requestId)
    {
        final int slot = (int)slotByRequest.get(requestId);
        return slot >= 0 && cancel(requestId, sentAtNs[slot]);
    }

    /**
     * Forget a request without a sample or a timeout (the caller gave up on it at {@code nowNs}); for
     * idle-aware φ its unanswered wait counts as silence, as a timeout's does. Event-loop thread only.
     *
     * @param requestId the request.
     * @param nowNs     the time it was given up.
     * @return {@code false} when it was not in flight.
     */
    public boolean cancel(final long requestId, final long nowNs)
    {
        final int slot = (int)slotByRequest.remove(requestId);
        if (slot < 0)
        {
            return false;
        }
        disarm(slot);
        freeSlots[freeCount++] = slot;
        tracker.requestEnded(tickets[slot], nowNs);
        return true;
    }

    /**
     * Expire every request whose deadline is at or before {@code nowNs}, handing each to the
     * {@link TimeoutHandler} on this thread. Call it from the event loop at least once per tick. Within a
     * poll, requests expire in wheel order: by tick while the loop keeps up, by spoke after a gap longer
     * than one revolution of the wheel. Event-loop thread only.
     *
     * <h4>Any {@code nowNs} returns promptly</h4>
     * One call advances the wheel by at most one revolution ({@code ticksPerWheel} ticks). That is
     * enough to expire every due request, since each spoke is visited and each deadline is compared
     * with {@code nowNs} itself. A wheel still more than a revolution behind {@code nowNs} after that sweep
     * (a clock of another base than {@code startTimeNs}, a loop that stalled) is wound forward to
     * {@code nowNs}; an empty wheel more than a revolution away from {@code nowNs} either way (also after
     * a clock jump, or {@link Long#MAX_VALUE}) is re-based at {@code nowNs}. Both are counted in
     * {@link #wheelResyncCount()}. A
     * {@code nowNs} far in the future still expires every request in flight: their deadlines have
     * passed by that clock.
     *
     * @param nowNs the current time.
     * @return requests expired.
     */
    public int pollTimeouts(final long nowNs)
    {
        return pollTimeouts(nowNs, Integer.MAX_VALUE);
    }

    /**
     * As {@link #pollTimeouts(long)}, expiring at most {@code limit} requests (the rest wait for the next
     * poll). Event-loop thread only.
     *
     * @param nowNs the current time.
     * @param limit most requests to expire, {@code >= 1}.
     * @return requests expired.
     */
    public int pollTimeouts(final long nowNs, final int limit)
    {
        // The wheel visits one tick per poll and moves on only once that tick has passed: keep polling
        // while it moves, so the tick holding nowNs is visited too, but for one revolution at most, which
        // visits every spoke: a nowNs millions of ticks ahead must not turn into millions of polls.
        int expired = 0;
        long tickTime;
        int polls = 0;
        do
        {
            tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowNs, onExpiry, limit - expired);
        }
        while (++polls <= ticksPerWheel && expired < limit && wheel.timerCount() > 0 &&
            wheel.currentTickTime() != tickTime);
        if (wheel.timerCount() == 0)
        {
            if (farFromWheel(nowNs))
            {
                // Agrona re-bases only an empty wheel; an empty wheel has nothing to lose by it.
                wheel.resetStartTime(nowNs);
                wheelResyncCount++;
            }
        }
        else if (expired < limit && nowNs - wheel.startTime() >= 0 && farFromWheel(nowNs) &&
            nowNs > wheel.currentTickTime())
        {
            // The revolution just swept compared every deadline with nowNs, so every due timer is gone and
            // the rest lie ahead of nowNs: winding the wheel forward skips nothing (Agrona's contract for
            // currentTickTime(long)). The start check keeps Agrona's (now - start) from overflowing.
            wheel.currentTickTime(nowNs);
            wheelResyncCount++;
        }
        return expired;
    }

    /** More than one revolution between {@code nowNs} and the wheel's current tick, either way. */
    private boolean farFromWheel(final long nowNs)
    {
        final long tickTime = wheel.currentTickTime();
        final long distance = nowNs >= tickTime ? nowNs - tickTime : tickTime - nowNs;
        return distance < 0 || distance > revolutionNs; // negative: the difference overflowed
    }

    private boolean onTimerExpiry(final TimeUnit unit, final long nowNs, final long timerId)
    {
        final int slot = (int)slotByTimer.remove(timerId);
        if (slot < 0)
        {
            return true;
        }
        final long requestId = requestIds[slot];
        slotByRequest.remove(requestId);
        freeSlots[freeCount++] = slot;
        timeoutCount++;
        tracker.requestEnded(tickets[slot], nowNs); // before the handler, which may send again
        timeoutHandler.onTimeout(
            requestId, sites[slot], chainIds[slot], hops[slot], sentAtNs[slot], deadlineNs[slot], nowNs);
        return true;
    }

    private long deadline(final long nowNs, final long budget)
    {
        final long clamped = Math.max(minBudgetNs, Math.min(maxBudgetNs, budget));
        final long deadline = nowNs + clamped;
        return deadline < nowNs ? Long.MAX_VALUE - 1 : deadline;
    }

    private long arm(final int slot, final long deadline)
    {
        final long timerId = wheel.scheduleTimer(deadline);
        timerIds[slot] = timerId;
        deadlineNs[slot] = deadline;
        slotByTimer.put(timerId, slot);
        return deadline;
    }

    private void disarm(final int slot)
    {
        final long timerId = timerIds[slot];
        wheel.cancelTimer(timerId);
        slotByTimer.remove(timerId);
    }

    /**
     * Event-loop thread only.
     *
     * @param requestId the request.
     * @return its absolute deadline, or {@link #NOT_IN_FLIGHT}.
     */
    public long deadlineNs(final long requestId)
    {
        final int slot = (int)slotByRequest.get(requestId);
        return slot < 0 ? NOT_IN_FLIGHT : deadlineNs[slot];
    }

    /**
     * @return elapsed time of the last matched response (sampled or not), -1 before the first.
     * Event-loop thread only.
     */
    public long lastElapsedNs()
    {
        return lastElapsedNs;
    }

    /**
     * @return requests in flight. Event-loop thread only.
     */
    public int inFlightCount()
    {
        return requestIds.length - freeCount;
    }

    /**
     * Any thread: fixed at construction.
     *
     * @return most requests in flight at once.
     */
    public int capacity()
    {
        return requestIds.length;
    }

    /**
     * @return responses fed to the tracker. Event-loop thread only.
     */
    public long sampledCount()
    {
        return sampledCount;
    }

    /**
     * @return matched responses that gave no sample under Karn's rule. Event-loop thread only.
     */
    public long ambiguousCount()
    {
        return ambiguousCount;
    }

    /**
     * @return responses that matched nothing in flight. Event-loop thread only.
     */
    public long unknownCount()
    {
        return unknownCount;
    }

    /**
     * @return requests expired. Event-loop thread only.
     */
    public long timeoutCount()
    {
        return timeoutCount;
    }

    /**
     * @return times the timer wheel was wound forward or re-based to a {@code nowNs} more than a revolution
     * away from its time (another clock base, a clock jump); see {@link #pollTimeouts(long)}. Event-loop
     * thread only.
     */
    public long wheelResyncCount()
    {
        return wheelResyncCount;
    }
}
