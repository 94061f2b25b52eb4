package ai.bytesandbrains.rtt.pause;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessGcPausesTest
{
    @Test
    void shouldFanGcPausesOutToRegisteredSinksAndForgetCollectedOnes() throws Exception
    {
        assertThat(ProcessGcPauses.isAvailable()).isTrue(); // a full JDK has java.management
        final AtomicLong received = new AtomicLong();
        final LocalPauseSink kept = (start, end) ->
        {
            assertThat(end).isGreaterThan(start);
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
            assertThat(garbage[garbage.length - 1]).hasSize(16 * 1024);
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(received.get()).isPositive();
        assertThat(droppedRef.get()).isNull(); // held weakly: a dropped tracker's log does not leak
        assertThat(kept).isNotNull();
    }
}
