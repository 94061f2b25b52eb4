package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessGcPausesTest
{
    /** Published garbage, so that the JIT cannot elide the allocations that provoke collections. */
    private static volatile Object garbageSink;

    @Test
    void shouldFanGcPausesOutToRegisteredSinksAndForgetCollectedOnes() throws Exception
    {
        assertThat(ProcessGcPauses.isAvailable()).isTrue(); // a full JDK has java.management
        final AtomicLong received = new AtomicLong();
        // The sink runs on the JMX notification thread, where a failed assertion would be swallowed:
        // record the first bad pause and check it on the test thread.
        final AtomicReference<String> violation = new AtomicReference<>();
        final LocalPauseSink kept = (start, end) ->
        {
            if (end <= start)
            {
                violation.compareAndSet(null, "pause [" + start + ", " + end + ") does not end after it starts");
            }
            received.incrementAndGet();
            return true;
        };
        assertThat(ProcessGcPauses.register(kept)).isTrue();
        LocalPauseSink dropped = new LocalPauseLog(1); // an instance of its own, as a tracker's log is
        assertThat(ProcessGcPauses.register(dropped)).isTrue();
        final WeakReference<LocalPauseSink> droppedRef = new WeakReference<>(dropped);
        dropped = null;

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((received.get() == 0 || droppedRef.get() != null) && System.nanoTime() < deadline)
        {
            final byte[][] garbage = new byte[1_000][];
            for (int i = 0; i < garbage.length; i++)
            {
                garbage[i] = new byte[16 * 1024];
            }
            garbageSink = garbage;
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        garbageSink = null;
        assertThat(received.get()).isPositive();
        assertThat(violation.get()).isNull();
        assertThat(droppedRef.get()).isNull(); // held weakly: a dropped tracker's log does not leak
        Reference.reachabilityFence(kept); // registered weakly too: it must stay reachable until here
    }
}
