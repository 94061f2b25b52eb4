package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.LOCKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Warm restart and the one-writer rule, across real processes. */
class TrackerFileProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepWhatAChildProcessLearnedAfterItExits() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        try (ChildJvm child = ChildJvm.start(TrackerFileChild.class, "write", file.toString(), "99"))
        {
            child.awaitLine("DONE");
            child.awaitExit(30);
        }
        // The same calls in memory give what the child must have left in the file.
        final RttTracker reference = RttTracker.builder()
            .siteCapacity(Workload.CONFIG.siteCapacity()).edgeCapacity(Workload.CONFIG.edgeCapacity())
            .chainCapacity(Workload.CONFIG.chainCapacity()).reportedCapacity(Workload.CONFIG.reportedCapacity())
            .historyCapacity(Workload.CONFIG.historyCapacity()).build();
        Workload.load(reference, 99);
        final RttTrackerSnapshot expected = Workload.withoutTimestamps(reference.snapshot());

        try (TrackerFile reopened = TrackerFile.open(file, Workload.CONFIG))
        {
            final RttTracker tracker = reopened.tracker();
            assertThat(tracker.snapshot()).isEqualTo(expected);
            assertThat(expected.sites()).anyMatch(s -> s.historyLength() > 0 && s.ema().warm());
            assertThat(tracker.estimateBudgetNs(4, Workload.CHAIN, 2, 1))
                .isEqualTo(reference.estimateBudgetNs(4, Workload.CHAIN, 2, 1));
            assertThat(reopened.owner().openCount()).isEqualTo(2);
            assertThat(reopened.owner().pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldKeepTheWriterLockThroughRefusedOpensAndReadersInTheSameProcess() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG))
        {
            // Each of these opens and closes a descriptor of the file in this process if done naively,
            // which on POSIX drops every lock this process holds on it.
            assertThatThrownBy(() -> TrackerFile.open(file))
                .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(LOCKED));
            assertThatThrownBy(() -> TrackerFile.openOrCreate(file, Workload.CONFIG))
                .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(LOCKED));
            try (TrackerFileReader reader = TrackerFileReader.open(file))
            {
                assertThat(reader.read().writerAlive()).isTrue();
            }
            try (ChildJvm other = ChildJvm.start(TrackerFileChild.class, "try-open", file.toString()))
            {
                final ChildJvm.Result result = other.finish(60);
                assertThat(result.output()).contains("LOCKED").doesNotContain("OPENED");
            }
            assertThat(writer.tracker().isClosed()).isFalse();
        }
        try (TrackerFile reopened = TrackerFile.open(file)) // the claim is released with the writer
        {
            assertThat(reopened.created()).isFalse();
        }
    }

    @Test
    void shouldRefuseASecondWriterProcessUntilTheFirstIsKilled() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        TrackerFile.create(file, Workload.CONFIG).close();
        try (ChildJvm holder = ChildJvm.start(TrackerFileChild.class, "hold", file.toString()))
        {
            holder.awaitLine("OPEN");
            assertThatThrownBy(() -> TrackerFile.open(file))
                .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(LOCKED))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("already open for writing")
                .hasMessageContaining("pid " + holder.pid());
            // A reader never conflicts with the writer.
            try (TrackerFileReader reader = TrackerFileReader.open(file))
            {
                assertThat(reader.read().writerAlive()).isTrue();
                assertThat(reader.owner().pid()).isEqualTo(holder.pid());
            }
            holder.kill(); // kill -9: the OS releases the lock
        }
        try (TrackerFile reopened = TrackerFile.open(file))
        {
            assertThat(reopened.owner().openCount()).isEqualTo(3);
        }
    }
}
