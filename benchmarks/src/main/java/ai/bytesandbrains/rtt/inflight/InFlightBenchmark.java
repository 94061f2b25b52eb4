package ai.bytesandbrains.rtt.inflight;

import ai.bytesandbrains.rtt.RttTracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One request through {@link InFlightTracker} per operation, on a synthetic clock so every run does the
 * same work: send (budget lookup, slot, timer), then either the response (timer cancel, observe) or,
 * for one request in 16, a timeout fired by the poll. Run with {@code -prof gc}: {@code
 * gc.alloc.rate.norm} is the bytes allocated per request, which must be 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class InFlightBenchmark
{
    private static final long STEP_NS = 10_000;
    private static final int IN_FLIGHT = 64;

    private RttTracker tracker;
    private InFlightTracker inFlight;
    private long nowNs;
    private long nextId;
    private long timeouts;

    @Setup(Level.Trial)
    public void setUp()
    {
        tracker = RttTracker.builder().siteCapacity(64).historyCapacity(64).build();
        inFlight = InFlightTracker.builder(tracker)
            .capacity(4 * IN_FLIGHT)
            .budgetBoundsNs(200_000, 5_000_000)
            .wheel(1L << 16, 1024)
            .startTimeNs(0)
            .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) -> timeouts++)
            .build();
        nowNs = 1_000_000;
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            inFlight.onSend(nextId++, i & 15, nowNs);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (timeouts == 0)
        {
            throw new IllegalStateException("no timeout fired: the timeout path was not measured");
        }
        tracker.close();
    }

    /**
     * Send one request and complete the oldest one: answered with a round trip of 0.1 to 0.5 ms, or, one
     * in 16, left to time out.
     *
     * @return the deadline of the new request.
     */
    @Benchmark
    public long sendRespondOrTimeOut()
    {
        nowNs += STEP_NS;
        final long id = nextId++;
        final long deadline = inFlight.onSend(id, id & 15, nowNs);
        final long oldest = id - IN_FLIGHT;
        if ((oldest & 15) != 0)
        {
            inFlight.onResponse(oldest, nowNs);
        }
        inFlight.pollTimeouts(nowNs);
        return deadline;
    }

    /**
     * As {@link #sendRespondOrTimeOut()} with a chain context: each response updates the edge, the site,
     * the chain prior and the global prior.
     *
     * @return the deadline of the new request.
     */
    @Benchmark
    public long sendRespondOrTimeOutInChain()
    {
        nowNs += STEP_NS;
        final long id = nextId++;
        final long deadline = inFlight.onSend(id, id & 15, 0xC4A1L, (int)(id & 3), nowNs);
        final long oldest = id - IN_FLIGHT;
        if ((oldest & 15) != 0)
        {
            inFlight.onResponse(oldest, nowNs);
        }
        inFlight.pollTimeouts(nowNs);
        return deadline;
    }
}
