package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

import static ai.bytesandbrains.rtt.Workload.*;

/**
 * {@code scanPhi} over {@value #SITES} sites with full histories (capacity 1000), scores per site visited.
 * Without transitions every site stays live; with transitions the scan time alternates between long
 * after the last heartbeat (every site goes down) and just after it (every site comes back), so every
 * site reports a transition on every scan.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ScanBenchmark
{
    static final int SITES = 1000;

    @Param({Trackers.CORE, Trackers.SYNCHRONIZED, Trackers.ATOMIC_REF, Trackers.JCTOOLS})
    public String impl;

    private TrackerUnderTest tracker;
    private final SumHandler handler = new SumHandler();
    private long lastNow;
    private boolean down;

    /** Folds every transition into a sum the benchmark returns; allocation-free. */
    static final class SumHandler implements PhiTransitionHandler
    {
        long sum;

        @Override
        public void onTransition(final long site, final PhiState newState, final double phi)
        {
            sum += site ^ newState.ordinal() ^ Double.doubleToRawLongBits(phi);
        }
    }

    @Setup
    public void setup()
    {
        tracker = Trackers.create(impl, SITES, 4 * SITES, HISTORY_CAPACITY);
        lastNow = new Workload(42).warm(tracker, 0, SITES, HISTORY_CAPACITY + 2, 1_000_000_000L);
    }

    @Benchmark
    @OperationsPerInvocation(SITES)
    public long scanNoTransitions()
    {
        tracker.scanPhi(lastNow + 1_000, handler);
        return handler.sum;
    }

    @Benchmark
    @OperationsPerInvocation(SITES)
    public long scanWithTransitions()
    {
        down = !down;
        final int reported = tracker.scanPhi(down ? lastNow + 1_000_000_000_000L : lastNow + 1_000, handler);
        return handler.sum + reported;
    }
}
