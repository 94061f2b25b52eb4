package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.internal.StripedEma;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One thread imports a snapshot, then observes: it is the prior's one writer, so the global prior must go
 * on from the imported state exactly as the reference's EMA would (StripedEma: "with one writing thread
 * the prior is exactly the reference's"), whatever stripe that thread has.
 */
class StripedPriorImportTest
{
    private static final long IMPORTED_SRTT = 10_000_000;
    private static final long IMPORTED_COUNT = 5_000;
    private static final long SAMPLE = 100_000_000;
    private static final int SAMPLES = 1_000;

    @Test
    void shouldContinueTheImportedGlobalPriorOnEveryStripe() throws Exception
    {
        final RttTracker source = RttTracker.builder().build();
        for (int i = 0; i < IMPORTED_COUNT; i++)
        {
            source.observeRoundTrip(1 + (i % 50), IMPORTED_SRTT, i * 1_000_000L);
        }
        final RttTrackerSnapshot snapshot = source.snapshot();
        final RttTrackerSnapshot.Ema imported = snapshot.globalPrior();
        long expected = EmaWord.pack(imported.sampleCount(), imported.srttNs(), imported.rttvarNs());
        for (int i = 0; i < SAMPLES; i++)
        {
            expected = EmaWord.update(expected, SAMPLE, EmaShifts.GLOBAL_ALPHA_SHIFT, EmaShifts.GLOBAL_BETA_SHIFT);
        }

        for (int stripe = 0; stripe < StripedEma.STRIPES; stripe++)
        {
            final AtomicReference<RttTrackerSnapshot.Ema> prior = new AtomicReference<>();
            final Thread writer = threadOnStripe(stripe, () ->
            {
                final RttTracker tracker = RttTracker.builder().build();
                tracker.importSnapshot(snapshot);
                for (int i = 0; i < SAMPLES; i++)
                {
                    tracker.observeRoundTrip(100 + (i % 50), SAMPLE, 10_000_000_000L + i * 1_000_000L);
                }
                prior.set(tracker.snapshot().globalPrior());
            });
            writer.start();
            writer.join();
            assertThat(prior.get()).as("the importing and observing thread on stripe %d", stripe)
                .isEqualTo(RttTrackerSnapshot.Ema.of(expected, IMPORTED_COUNT + SAMPLES));
        }
    }

    private static Thread threadOnStripe(final int stripe, final Runnable body)
    {
        Thread thread;
        do
        {
            thread = new Thread(body);
        }
        while (StripedEma.stripe(thread) != stripe);
        return thread;
    }
}
