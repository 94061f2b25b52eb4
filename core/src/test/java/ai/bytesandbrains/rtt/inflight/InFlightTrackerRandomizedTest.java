package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static ai.bytesandbrains.rtt.inflight.InFlightTracker.NOT_IN_FLIGHT;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_AMBIGUOUS;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_SAMPLED;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.RESPONSE_UNKNOWN;
import static ai.bytesandbrains.rtt.inflight.InFlightTracker.SEND_REJECTED_FULL;
import static org.assertj.core.api.Assertions.assertThat;

class InFlightTrackerRandomizedTest
{
    private static final long TICK = 1L << 14;
    private static final long MS = 1_000_000L;

    /** Request id to {deadline, ambiguous(0/1)} of the model. */
    private final Map<Long, long[]> model = new HashMap<>();

    @Test
    void shouldEndEveryRequestExactlyOnceAndExpireOnlyPastItsDeadline()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_1F1L);
        for (int seq = 0; seq < 40; seq++)
        {
            model.clear();
            final long start = random.nextLong(1L << 40);
            final long[] now = {start};
            final long[] lastPoll = {start};
            try (RttTracker tracker = RttTracker.builder().siteCapacity(16).historyCapacity(8).build())
            {
                final InFlightTracker inFlight = InFlightTracker.builder(tracker)
                    .capacity(32).staticDefaultNs(3 * MS).budgetBoundsNs(MS / 2, 20 * MS)
                    .wheel(TICK, 128).startTimeNs(start)
                    .timeoutHandler((id, site, chain, hop, sentAt, deadline, pollNow) ->
                    {
                        final long[] entry = model.remove(id);
                        assertThat(entry).as("timed out request %d must be in flight", id).isNotNull();
                        assertThat(deadline).isEqualTo(entry[0]);
                        assertThat(pollNow).isGreaterThanOrEqualTo(deadline);
                        // Not yet due at the previous poll, or that poll would have expired it.
                        assertThat(deadline).isGreaterThan(lastPoll[0]);
                    })
                    .build();
                long nextId = 0;
                long expectedSamples = 0;
                for (int op = 0; op < 3_000; op++)
                {
                    now[0] += random.nextLong(200_000);
                    final int kind = random.nextInt(10);
                    if (kind < 4)
                    {
                        final long id = nextId++;
                        final long deadline = inFlight.onSend(id, random.nextInt(8), now[0]);
                        if (model.size() == 32)
                        {
                            assertThat(deadline).isEqualTo(SEND_REJECTED_FULL);
                        }
                        else
                        {
                            assertThat(deadline).isBetween(now[0] + MS / 2, now[0] + 20 * MS);
                            model.put(id, new long[]{deadline, 0});
                        }
                    }
                    else if (kind < 7)
                    {
                        final long id = nextId == 0 ? 0 : random.nextLong(nextId);
                        final long[] entry = model.remove(id);
                        final int result = inFlight.onResponse(id, now[0]);
                        if (entry == null)
                        {
                            assertThat(result).isEqualTo(RESPONSE_UNKNOWN);
                        }
                        else
                        {
                            assertThat(result).isEqualTo(entry[1] == 1 ? RESPONSE_AMBIGUOUS : RESPONSE_SAMPLED);
                            expectedSamples += entry[1] == 1 ? 0 : 1;
                        }
                    }
                    else if (kind == 7)
                    {
                        final long id = nextId == 0 ? 0 : random.nextLong(nextId);
                        final long[] entry = model.get(id);
                        final long deadline = inFlight.onRetry(id, now[0]);
                        if (entry == null)
                        {
                            assertThat(deadline).isEqualTo(NOT_IN_FLIGHT);
                        }
                        else
                        {
                            entry[0] = deadline;
                            entry[1] = 1;
                        }
                    }
                    else
                    {
                        inFlight.pollTimeouts(now[0]);
                        lastPoll[0] = now[0];
                        for (final long[] entry : model.values())
                        {
                            assertThat(entry[0]).as("still in flight, so not yet due").isGreaterThan(now[0]);
                        }
                    }
                    assertThat(inFlight.inFlightCount()).isEqualTo(model.size());
                }
                assertThat(inFlight.sampledCount()).isEqualTo(expectedSamples);
                assertThat(tracker.snapshot().sites().stream().mapToLong(s -> s.ema().sampleCount()).sum())
                    .isEqualTo(expectedSamples);
            }
        }
    }

    @Test
    void shouldNotAllocatePerRequestInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (RttTracker tracker = RttTracker.builder().siteCapacity(16).historyCapacity(8).build())
        {
            final long[] timedOut = {0};
            final InFlightTracker inFlight = InFlightTracker.builder(tracker).capacity(256)
                .budgetBoundsNs(MS, 5 * MS).wheel(TICK, 256).startTimeNs(0)
                .timeoutHandler((id, site, chain, hop, sentAt, deadline, pollNow) -> timedOut[0]++)
                .build();
            final SplittableRandom random = new SplittableRandom(7);
            final long[] now = {0};
            final long[] id = {0};
            final Runnable work = () ->
            {
                for (int i = 0; i < 200_000; i++)
                {
                    now[0] += 20_000 + random.nextInt(20_000);
                    final long request = id[0]++;
                    inFlight.onSend(request, request & 7, now[0]);
                    if ((request & 15) == 3)
                    {
                        inFlight.onRetry(request, now[0]);
                    }
                    if ((request & 31) != 0)
                    {
                        inFlight.onResponse(request - 1 - (request & 3), now[0] + random.nextInt(3_000_000));
                    }
                    inFlight.pollTimeouts(now[0]);
                }
            };
            work.run();   // warm-up: JIT, and the wheel's busiest tick
            final long before = threads.getCurrentThreadAllocatedBytes();
            work.run();
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(timedOut[0]).as("the workload must exercise timeouts").isPositive();
            assertThat(inFlight.ambiguousCount()).isPositive();
            assertThat(allocated).as("bytes allocated by 200,000 requests").isLessThan(200_000);
        }
    }
}
