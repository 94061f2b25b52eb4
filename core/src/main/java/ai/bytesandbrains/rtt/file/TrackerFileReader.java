package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.state.TrackerReader;
import ai.bytesandbrains.rtt.state.TrackerTables;
import ai.bytesandbrains.rtt.view.EmaView;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import ai.bytesandbrains.rtt.view.SiteView;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.IO;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.TRUNCATED;

/**
 * Reads a tracker file, possibly while another process writes it, without ever writing to it: the
 * file is mapped {@code READ_ONLY}, no lock is taken (in this process its descriptor is shared with the
 * writer's, so that closing it cannot drop the writer's lock), and every reading goes through a
 * {@link TrackerReader}, the read path the writer's own readings use, which never writes (a store into a
 * read-only mapping would kill the JVM). So φ here is the writer's φ for the same "now", local pauses
 * included. This class adds the header, the owner section and the clock mapping.
 *
 * <h2>Faults</h2>
 * Every value decoded is range-checked before it is returned (see {@link TrackerReader}): a value no
 * writer stores makes the reading throw {@link TrackerFileException} {@code CORRUPT}, naming the file,
 * the table, the record and the field; no reading returns an impossible value or throws an unchecked
 * exception. A reading racing a live writer (records inserted, evicted and reused, heartbeats in flight)
 * never reports a fault: such a record is skipped or read whole.
 *
 * <p>φ needs "now" on the writer's {@code System.nanoTime()} clock: the header's owner section maps it
 * to the wall clock, re-read at each reading (a restarted writer rewrites it). Not thread-safe: one reader
 * per thread (a reader is cheap). Close every reader: {@link #close()} lets go of the file's descriptor
 * (shared in this process, closed when its last user closes); the mappings are released by the garbage
 * collector.
 */
public final class TrackerFileReader implements AutoCloseable
{
    private final Path file;
    private final OpenFiles.Lease lease;
    private final RttTrackerConfig config;
    private final AtomicBuffer header;
    private final TrackerReader reader;
    private volatile boolean closed; // volatile: a close on another thread stops this thread's next reading

    private TrackerFileReader(
        final Path file, final OpenFiles.Lease lease, final TrackerLayout layout, final AtomicBuffer header,
        final AtomicBuffer state)
    {
        this.file = file;
        this.lease = lease;
        this.config = layout.config();
        this.header = header;
        // Long.MAX_VALUE: the longest pause matters only to a recorder, and this reader never records.
        this.reader = new TrackerReader(new TrackerTables(layout, state, Long.MAX_VALUE),
            detail -> new TrackerFileException(file, CORRUPT, detail));
    }

    /**
     * Map a tracker file read-only and check its header. In this process the file's descriptor is shared
     * with its writer and other readers (so a reader's close can never drop a writer's lock; see
     * {@link TrackerFile}); close the reader to let it go. Any thread; the reader returned is for one
     * thread at a time.
     *
     * @param file the file.
     * @return the reader.
     * @throws TrackerFileException naming the fault: missing, truncated, foreign, not ready (being
     *                              created), wrong version, corrupt header.
     */
    public static TrackerFileReader open(final Path file)
    {
        ai.bytesandbrains.rtt.AgronaCheck.requireUsable(); // before this class maps through Agrona
        final OpenFiles.Lease lease = OpenFiles.openForReading(file);
        try
        {
            final FileChannel channel = lease.channel();
            final long length = channel.size();
            if (length < TrackerFileHeader.FILE_HEADER_LENGTH)
            {
                throw new TrackerFileException(file, TRUNCATED, "file is " + length + " bytes, shorter than the " +
                    TrackerFileHeader.FILE_HEADER_LENGTH + "-byte header");
            }
            final AtomicBuffer header = new UnsafeBuffer(
                ReadOnlyMapping.map(file, channel, "header", 0, TrackerFileHeader.FILE_HEADER_LENGTH));
            final TrackerLayout layout = TrackerFileHeader.validate(file, header, length);
            final AtomicBuffer state = new UnsafeBuffer(
                ReadOnlyMapping.map(file, channel, "state", TrackerFileHeader.FILE_HEADER_LENGTH, layout.totalLength()));
            return new TrackerFileReader(file, lease, layout, header, state);
        }
        catch (final IOException ex)
        {
            throw ReadOnlyMapping.released(lease, new TrackerFileException(file, IO, ex.toString(), ex));
        }
        catch (final RuntimeException ex)
        {
            throw ReadOnlyMapping.released(lease, ex);
        }
    }

    /**
     * Immutable; any thread.
     *
     * @return the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Immutable; any thread.
     *
     * @return the configuration stored in the file.
     */
    public RttTrackerConfig config()
    {
        return config;
    }

    /**
     * Not thread-safe: the reader's thread only (a seqlock read of the header, never a write).
     *
     * @return the writer that last opened the file.
     * @throws TrackerFileException {@code NOT_READY} when a writer keeps rewriting the owner section.
     */
    public TrackerFileHeader.Owner owner()
    {
        checkOpen();
        final TrackerFileHeader.Owner owner = ReadOnlyMapping.checkedOwner(file, header);
        return owner;
    }

    /**
     * Not thread-safe: the reader's thread only.
     *
     * @return now, on the writer's {@code nanoTime} clock, through the header's clock mapping.
     */
    public long writerNowNs()
    {
        final Instant now = Instant.now();
        return owner().writerNanoTime(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /**
     * Read every site, the chain and global priors and the counters, with φ at {@link #writerNowNs()}.
     * Not thread-safe: the reader's thread only; safe against the writer process running.
     *
     * @return the reading.
     */
    public TrackerFileSample read()
    {
        return read(writerNowNs());
    }

    /**
     * Read every site, the chain and global priors and the counters, with φ at {@code writerNowNs}.
     * Not thread-safe: the reader's thread only; safe against the writer process running.
     *
     * @param writerNowNs "now" on the writer's clock.
     * @return the reading.
     */
    public TrackerFileSample read(final long writerNowNs)
    {
        checkOpen();
        final TrackerFileHeader.Owner owner = owner();
        final List<SiteRow> rows = new ArrayList<>();
        reader.forEachSite(new SiteView(), v -> rows.add(siteRow(v, writerNowNs)));
        final List<RttTrackerSnapshot.ChainPrior> chains = new ArrayList<>();
        reader.forEachChainPrior(new EmaView(), v -> chains.add(new RttTrackerSnapshot.ChainPrior(
            v.chainId(), RttTrackerSnapshot.Ema.of(v.word(), v.sampleCount()))));
        final EmaView global = reader.readGlobalPrior(new EmaView());
        return new TrackerFileSample(
            writerNowNs,
            owner,
            ProcessHandle.of(owner.pid()).map(ProcessHandle::isAlive).orElse(false),
            rows,
            chains,
            RttTrackerSnapshot.Ema.of(global.word(), global.sampleCount()),
            reader.liveEdgeCount(),
            reader.liveReportCount(),
            reader.readCounters(),
            reader.droppedNameCount());
    }

    private SiteRow siteRow(final SiteView v, final long writerNowNs)
    {
        final double phi = reader.phiOf(v, writerNowNs); // the writer's formula and mode, from the header
        return new SiteRow(
            v.site(),
            v.srttNs(),
            v.rttvarNs(),
            v.budgetNs(),
            v.isWarm(),
            v.sampleCount(),
            v.hasBeenSeen(),
            v.lastSeenNs(),
            phi,
            PhiAccrual.classify(phi, config.suspectPhi(), config.downPhi()),
            v.lastPhiState(),
            v.historyLength(),
            v.historyMeanNs(),
            v.name());
    }

    /**
     * The whole state as an {@link RttTrackerSnapshot}, as {@code RttTracker.snapshot()} gives it, read
     * from the file without writing: for export and bug reports. Not thread-safe: the reader's thread
     * only; safe against the writer process running.
     *
     * @return the snapshot.
     */
    public RttTrackerSnapshot snapshot()
    {
        checkOpen();
        return reader.snapshot();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("TrackerFileReader is closed");
        }
    }

    /**
     * Mark the reader closed; later readings throw {@link IllegalStateException}. Lets the file's
     * descriptor go (closed when its last user in this process leaves). The mappings are left to the
     * garbage collector, so a reading racing the close still finds valid memory. Idempotent. Any
     * thread: the flag is volatile.
     *
     * @throws TrackerFileException {@code IO} when closing the descriptor fails.
     */
    @Override
    public void close()
    {
        closed = true; // volatile write: seen by the reading thread's next check
        lease.release(); // idempotent
    }
}
