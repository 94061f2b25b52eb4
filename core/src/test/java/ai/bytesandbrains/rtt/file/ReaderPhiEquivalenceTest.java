package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One file read through both paths: the writer's φ and the file reader's φ agree for the same "now",
 * local pauses included (the pause log lives in the file).
 */
class ReaderPhiEquivalenceTest
{
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheWritersPhiIncludingLocalPauses()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG);
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            final RttTracker tracker = writer.tracker();
            long now = 1_000 * MS;
            for (int beat = 0; beat < 20; beat++)
            {
                now += 100 * MS;
                for (long site = 1; site <= 3; site++)
                {
                    tracker.observeRoundTrip(site, 2 * MS, now);
                }
            }
            final long lastBeat = now;
            assertThat(tracker.recordLocalPause(lastBeat + 50 * MS, lastBeat + 650 * MS)).isTrue();
            final long readAt = lastBeat + 900 * MS;

            assertThat(tracker.locallyPausedNsWithin(lastBeat, readAt)).isEqualTo(600 * MS);
            final TrackerFileSample sample = reader.read(readAt);
            assertThat(sample.sites()).hasSize(3);
            for (final SiteRow row : sample.sites())
            {
                final double writerPhi = tracker.phi(row.site(), readAt);
                assertThat(row.phi()).isEqualTo(writerPhi);
                // The pause is discounted: 300 ms of silence, not 900 ms, over a 100 ms mean.
                assertThat(writerPhi).isCloseTo(300.0 / (100.0 * Math.log(10)), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(row.verdict()).isEqualTo(tracker.isDown(row.site(), readAt) ?
                    ai.bytesandbrains.rtt.phi.PhiState.DOWN : row.verdict());
            }
        }
    }
}
