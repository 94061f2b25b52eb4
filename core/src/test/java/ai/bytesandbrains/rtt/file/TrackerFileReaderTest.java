package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.SiteView;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TrackerFileReaderTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadWhatTheWriterHoldsWithPhiAtTheGivenInstant()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG);
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            final RttTracker tracker = writer.tracker();
            final long now = Workload.load(tracker, 11) + 3_000_000;
            final TrackerFileSample sample = reader.read(now);

            assertThat(reader.config()).isEqualTo(Workload.CONFIG);
            assertThat(sample.writerNowNs()).isEqualTo(now);
            assertThat(sample.owner().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(sample.writerAlive()).isTrue();
            assertThat(sample.sites()).hasSize((int)tracker.trackedSiteCount());
            final SiteView view = new SiteView();
            for (final SiteRow row : sample.sites())
            {
                assertThat(tracker.readSite(row.site(), view)).isTrue();
                assertThat(row.srttNs()).isEqualTo(view.srttNs());
                assertThat(row.rttvarNs()).isEqualTo(view.rttvarNs());
                assertThat(row.budgetNs()).isEqualTo(view.budgetNs());
                assertThat(row.warm()).isEqualTo(view.isWarm());
                assertThat(row.sampleCount()).isEqualTo(view.sampleCount());
                assertThat(row.seen()).isEqualTo(view.hasBeenSeen());
                assertThat(row.lastSeenNs()).isEqualTo(view.lastSeenNs());
                assertThat(row.lastReportedState()).isEqualTo(view.lastPhiState());
                assertThat(row.historyLength()).isEqualTo(view.historyLength());
                assertThat(row.historyMeanNs()).isEqualTo(view.historyMeanNs());
                assertThat(row.phi()).isEqualTo(tracker.phi(row.site(), now));
            }
            assertThat(sample.sites()).anyMatch(r -> r.phi() > 0).anyMatch(r -> !r.seen());
            assertThat(sample.chainPriors()).hasSize(2);
            final EmaView chain = new EmaView();
            assertThat(tracker.readChainPrior(Workload.CHAIN, chain)).isTrue();
            assertThat(sample.chainPriors()).anyMatch(c -> c.chainId() == Workload.CHAIN &&
                c.ema().srttNs() == chain.srttNs() && c.ema().sampleCount() == chain.sampleCount());
            assertThat(sample.globalPrior()).isEqualTo(tracker.snapshot().globalPrior());
            assertThat(sample.counters()).isEqualTo(tracker.snapshot().counters());
            assertThat(sample.counters().rejectedSamples()).isEqualTo(1);
            assertThat(sample.edgeCount()).isEqualTo(tracker.snapshot().edges().size());
            assertThat(sample.reportCount()).isEqualTo(2);
            assertThat(reader.snapshot()).isEqualTo(tracker.snapshot());
        }
    }

    @Test
    void shouldSeeLiveUpdatesAndTranslateTheWallClockToTheWritersNanoTime()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG);
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertThat(reader.read().sites()).isEmpty();
            final long start = System.nanoTime();
            for (int i = 0; i < 5; i++)
            {
                writer.tracker().observeRoundTrip(9, 2_000_000, start - (5 - i) * 1_000_000L); // in the past
            }
            final TrackerFileSample sample = reader.read();
            assertThat(sample.sites()).singleElement().satisfies(row ->
            {
                assertThat(row.sampleCount()).isEqualTo(5);
                assertThat(row.historyMeanNs()).isEqualTo(1_000_000.0);
                // φ at the reader's now: the silence since the last heartbeat, in means, over ln 10.
                final double silence = (sample.writerNowNs() - row.lastSeenNs()) / 1e6;
                assertThat(row.phi()).isCloseTo(silence / Math.log(10), within(1e-9));
            });
            assertThat(Math.abs(reader.writerNowNs() - System.nanoTime())).isLessThan(50_000_000L);
        }
    }

    @Test
    void shouldNeverWriteToTheFile() throws Exception
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG))
        {
            Workload.load(writer.tracker(), 12);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        final byte[] before = Files.readAllBytes(file);
        assertThat(file.toFile().setWritable(false)).isTrue();
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            for (int i = 0; i < 3; i++)
            {
                assertThat(reader.read().sites()).isNotEmpty();
                assertThat(reader.snapshot().sites()).isNotEmpty();
            }
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);
    }

    private static void patchLong(final Path file, final long offset, final long value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    private Path fileWithData()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG))
        {
            Workload.load(writer.tracker(), 13);
        }
        return file;
    }

    private static void assertCorrupt(final Path file, final ThrowingCallable reading, final String... detail)
    {
        assertThatThrownBy(reading)
            .isInstanceOfSatisfying(TrackerFileException.class, ex -> assertThat(ex.reason()).isEqualTo(CORRUPT))
            .hasMessageContaining(file.toString())
            .hasMessageContainingAll(detail);
    }

    @Test
    void shouldNameAHistoryCompletedWithItsSignBitSetInsteadOfShowingIt() throws IOException
    {
        final Path file = fileWithData();
        patchLong(file, TrackerFileFaultsTest.siteWordOffset(
            0, TrackerLayout.SITE_HISTORY_OFFSET + HeartbeatHistory.COMPLETED_OFFSET), Long.MIN_VALUE + 11);
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertCorrupt(file, () -> reader.read(0), "site record 0", "completed " + (Long.MIN_VALUE + 11));
            assertCorrupt(file, reader::snapshot, "site record 0", "completed " + (Long.MIN_VALUE + 11));
        }
    }

    @Test
    void shouldNameAHopIndexOutsideItsRange()
    {
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG);
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            writer.tracker().observeRoundTrip(1, Workload.CHAIN, 2, 1_000, 5);
            final TrackerLayout layout = writer.tracker().layout();
            final RecordTable edges = writer.tracker().tables().edges();
            final int record = RecordTable.record(edges.findOrInsert(1, Workload.CHAIN, 300));
            assertCorrupt(file, reader::snapshot, "edge record " + record, "hop index 300");
        }
    }

    @Test
    void shouldNameACounterBelowZero() throws IOException
    {
        final Path file = fileWithData();
        patchLong(file, TrackerFileHeader.FILE_HEADER_LENGTH + TrackerLayout.REJECTED_COUNTER_OFFSET, -1);
        try (TrackerFileReader reader = TrackerFileReader.open(file))
        {
            assertCorrupt(file, () -> reader.read(0), "counter below 0");
            assertCorrupt(file, reader::snapshot, "counter below 0");
        }
    }

    @Test
    void shouldNeverCallALiveWritersPassingStatesCorrupt() throws Exception
    {
        // The range checks run only once a record's generation confirms its words were one occupant's: a
        // reader racing inserts, evictions and reuse of records must never take their passing states for faults.
        final Path file = dir.resolve("t.rtt");
        try (TrackerFile writer = TrackerFile.create(file, Workload.CONFIG);
             TrackerFileReader reader = TrackerFileReader.open(file))
        {
            final RttTracker tracker = writer.tracker();
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread churn = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(15);
                for (long now = 0; !stop.get(); now += 1_000)
                {
                    final long site = random.nextInt(40); // more sites than records: evictions make room
                    tracker.observeRoundTrip(site, Workload.CHAIN, random.nextInt(3), random.nextLong(1L << 30), now);
                    if (random.nextInt(8) == 0)
                    {
                        tracker.ingestReportedOutgoing(site, site + 1, Workload.CHAIN, 5_000, 100, random.nextInt(9));
                    }
                    if (random.nextInt(4) == 0)
                    {
                        tracker.evictSite(random.nextInt(40));
                    }
                }
            }, "churn");
            churn.start();
            try
            {
                final long end = System.nanoTime() + 1_500_000_000L;
                int readings = 0;
                while (System.nanoTime() < end)
                {
                    reader.read(readings);
                    reader.snapshot();
                    readings++;
                }
                assertThat(readings).isPositive();
                assertThat(tracker.evictedSiteCount()).isPositive();
            }
            finally
            {
                stop.set(true);
                churn.join();
            }
        }
    }
}
