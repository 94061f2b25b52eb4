package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.state.OutstandingRequests;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file's reader computes the writer's budgets and φ: K, the φ mode and the acceptable pause are in the
 * header, the outstanding-request marker in the site records. A restart clears the marker after checking it.
 */
class TrackerFileIdleAwareTest
{
    static final long SITE = 5;
    static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    static RttTrackerConfig config(final int k, final boolean idleAware)
    {
        return RttTracker.builder().siteCapacity(8).historyCapacity(100).localPauseAwareness(false)
            .budgetMultiplier(k).idleAwarePhi(idleAware).acceptablePauseNs(3 * MS).toConfig();
    }

    static long feed(final RttTracker tracker)
    {
        long now = 7_000_000_000L;
        for (int i = 0; i < 30; i++)
        {
            tracker.observeRoundTrip(SITE, (i % 2 == 0 ? 1 : 3) * MS, now += MS);
        }
        return now;
    }

    static SiteRow row(final TrackerFileReader reader, final long now)
    {
        return reader.read(now).sites().get(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8})
    void shouldReadTheWritersBudgetWithTheFilesK(final int k)
    {
        final Path file = dir.resolve("k" + k + ".rtt");
        try (TrackerFile writer = TrackerFile.create(file, config(k, false));
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            final long now = feed(writer.tracker());

            assertThat(reader.config().budgetMultiplier()).isEqualTo(k);
            assertThat(row(reader, now).budgetNs()).isEqualTo(writer.tracker().estimateBudgetNs(SITE, 1));
            assertThat(row(reader, now).budgetNs()).isEqualTo(row(reader, now).srttNs() + k * row(reader, now).rttvarNs());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReadTheWritersPhiInItsMode(final boolean idleAware)
    {
        final Path file = dir.resolve("phi-" + idleAware + ".rtt");
        try (TrackerFile writer = TrackerFile.create(file, config(4, idleAware));
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            final RttTracker tracker = writer.tracker();
            final long last = feed(tracker);
            assertThat(reader.config().idleAwarePhi()).isEqualTo(idleAware);
            assertThat(reader.config().acceptablePauseNs()).isEqualTo(3 * MS);

            final long idle = last + 500 * MS;
            assertThat(row(reader, idle).phi()).isEqualTo(tracker.phi(SITE, idle));
            assertThat(row(reader, idle).phi() == 0).isEqualTo(idleAware);

            tracker.requestStarted(SITE, idle);
            final long later = idle + 30 * MS;
            assertThat(row(reader, later).phi()).isEqualTo(tracker.phi(SITE, later)).isPositive();
        }
    }

    @Test
    void shouldRefuseAFileOpenedWithAnotherKOrMode()
    {
        final Path file = dir.resolve("mismatch.rtt");
        TrackerFile.create(file, config(4, false)).close();

        assertThatThrownBy(() -> TrackerFile.openOrCreate(file, config(8, false)))
            .isInstanceOf(TrackerFileException.class).hasMessageContaining("budgetMultiplier=4 in file, 8 asked for");
        assertThatThrownBy(() -> TrackerFile.openOrCreate(file, config(4, true)))
            .isInstanceOf(TrackerFileException.class).hasMessageContaining("idleAwarePhi=false in file, true asked for");
    }

    @Test
    void shouldClearTheMarkerOnRestartAndRefuseOneNoWriterLeaves()
    {
        final RttTrackerConfig config = config(4, true);
        final AtomicBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)RttTracker.requiredBufferLength(config), 128));
        final RttTracker before = config.toBuilder().buildOver(buffer);
        feed(before);
        before.requestStarted(SITE, 8_000_000_000L);
        before.requestStarted(SITE, 8_000_000_000L);
        final int recordOffset = before.tables().sites().recordOffset(0);
        assertThat(OutstandingRequests.countVolatile(buffer, recordOffset)).isEqualTo(2);

        final RttTracker after = config.toBuilder().restoreOver(buffer);
        final SiteView view = new SiteView();
        after.readSite(SITE, view);
        assertThat(view.outstandingRequests()).isZero();

        buffer.putLong(recordOffset + OutstandingRequests.COUNT_OFFSET, -OutstandingRequests.MAX_COUNT - 1);
        assertThatThrownBy(() -> config.toBuilder().restoreOver(buffer))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("outstanding requests");
        buffer.putLong(recordOffset + OutstandingRequests.COUNT_OFFSET, OutstandingRequests.MAX_COUNT + 1);
        assertThatThrownBy(() -> config.toBuilder().restoreOver(buffer))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("outstanding requests");
        assertThatThrownBy(() -> after.readSite(SITE, view))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("outstanding requests");
    }
}
