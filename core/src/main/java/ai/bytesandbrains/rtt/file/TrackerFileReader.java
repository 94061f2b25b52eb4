package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.TrackerLayout;
import ai.bytesandbrains.rtt.ema.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.table.RecordTable;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static ai.bytesandbrains.rtt.TrackerLayout.*;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.*;

/**
 * Reads a tracker file, possibly while another process writes it, without ever writing to it: the
 * file is mapped {@code READ_ONLY}, no lock is taken, and only read paths are used (a store into a
 * read-only mapping would kill the JVM). In particular no {@code RttTracker} is built over the mapping,
 * since its φ read can count a non-quiescent read; this class reads the words itself: records by
 * enumeration ({@link RecordTable#highWaterMark()}, {@link RecordTable#isLive}, keys), EMA cells count
 * first then word ({@link AtomicEma}), and φ means with {@link HeartbeatHistory#peekMeanNs}. Record
 * offsets are bounded by the capacities validated at open, so a reading never leaves the mapping.
 *
 * <p>φ needs "now" on the writer's {@code System.nanoTime()} clock: the header's owner section maps it
 * to the wall clock, re-read at each reading (a restarted writer rewrites it). Readings are as of
 * different instants for different words, each word whole.
 *
 * <p>Not thread-safe: one reader per thread (a reader is cheap). {@link #close()} drops the mapping
 * references; the mappings are released by the garbage collector.
 */
public final class TrackerFileReader implements AutoCloseable
{
    private final Path file;
    private final RttTrackerConfig config;
    private final TrackerLayout layout;
    private final AtomicBuffer header;
    private final AtomicBuffer state;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final int historyCapacity;
    private volatile boolean closed; // volatile: a close from another thread stops later readings

    private TrackerFileReader(
        final Path file, final TrackerLayout layout, final AtomicBuffer header, final AtomicBuffer state)
    {
        this.file = file;
        this.config = layout.config();
        this.layout = layout;
        this.header = header;
        this.state = state;
        sites = new RecordTable(state, (int)layout.siteTableOffset(), config.siteCapacity(), SITE_RECORD_LENGTH);
        edges = new RecordTable(state, (int)layout.edgeTableOffset(), config.edgeCapacity(), EDGE_RECORD_LENGTH);
        chains = new RecordTable(state, (int)layout.chainTableOffset(), config.chainCapacity(), CHAIN_RECORD_LENGTH);
        reported = new RecordTable(
            state, (int)layout.reportedTableOffset(), config.reportedCapacity(), REPORTED_RECORD_LENGTH);
        historyCapacity = config.historyCapacity();
    }

    /**
     * Map a tracker file read-only and check its header. Any thread; the reader returned is for one
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
        final long length;
        try
        {
            length = Files.size(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new TrackerFileException(file, MISSING, "no such file", ex);
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, ex.toString(), ex);
        }
        if (length < TrackerFileHeader.FILE_HEADER_LENGTH)
        {
            throw new TrackerFileException(file, TRUNCATED, "file is " + length + " bytes, shorter than the " +
                TrackerFileHeader.FILE_HEADER_LENGTH + "-byte header");
        }
        final AtomicBuffer header = new UnsafeBuffer(map(file, "header", 0, TrackerFileHeader.FILE_HEADER_LENGTH));
        final TrackerLayout layout = TrackerFileHeader.validate(file, header, length);
        final AtomicBuffer state = new UnsafeBuffer(
            map(file, "state", TrackerFileHeader.FILE_HEADER_LENGTH, layout.totalLength()));
        return new TrackerFileReader(file, layout, header, state);
    }

    private static MappedByteBuffer map(final Path file, final String what, final long offset, final long length)
    {
        try
        {
            // Closing a descriptor of the file would drop the lock of a writer in this process (POSIX), so
            // map through that writer's channel when there is one.
            final FileChannel writer = TrackerFile.writerChannel(file);
            if (writer != null)
            {
                return writer.map(FileChannel.MapMode.READ_ONLY, offset, length);
            }
            return IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "tracker " + what, offset, length);
        }
        catch (final IOException ex)
        {
            throw new TrackerFileException(file, IO, "mapping the " + what + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            throw new TrackerFileException(file, IO, "mapping the " + what + ": " + ex, ex);
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
        final TrackerFileHeader.Owner owner = TrackerFileHeader.readOwner(header);
        if (owner == null)
        {
            throw new TrackerFileException(file, NOT_READY, "the owner section is being rewritten by a writer");
        }
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
        final int limit = sites.highWaterMark();
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final SiteRow row = siteRow(record, writerNowNs);
                if (sites.isCurrent(handle)) // the writer may evict and reuse the record while it is read
                {
                    rows.add(row);
                }
            }
        }
        return new TrackerFileSample(
            writerNowNs,
            owner,
            ProcessHandle.of(owner.pid()).map(ProcessHandle::isAlive).orElse(false),
            rows,
            chainPriors(),
            ema(GLOBAL_PRIOR_OFFSET),
            edges.size(),
            reported.size(),
            counters());
    }

    private SiteRow siteRow(final int record, final long writerNowNs)
    {
        final int recordOffset = sites.recordOffset(record);
        final long sampleCount = AtomicEma.sampleCount(state, recordOffset + SITE_EMA_OFFSET); // count first
        final long word = AtomicEma.word(state, recordOffset + SITE_EMA_OFFSET);
        final long lastSeen = state.getLongVolatile(recordOffset + SITE_LAST_SEEN_OFFSET); // the writer's latest CAS
        final int historyControl = recordOffset + SITE_HISTORY_OFFSET;
        final double mean = HeartbeatHistory.peekMeanNs(state, historyControl, historyCapacity);
        final boolean seen = lastSeen != NEVER_SEEN;
        final long lastSeenNs = lastSeen & Long.MAX_VALUE;
        final double phi = seen ? PhiAccrual.phi(writerNowNs - lastSeenNs, mean) : 0.0;
        return new SiteRow(
            sites.key0(record),
            EmaWord.srttNs(word),
            EmaWord.rttvarNs(word),
            EmaWord.budgetNs(word),
            EmaWord.isWarm(word),
            sampleCount,
            seen,
            lastSeenNs,
            phi,
            PhiAccrual.classify(phi, config.suspectPhi(), config.downPhi()),
            phiState(state.getLongVolatile(recordOffset + SITE_PHI_STATE_OFFSET)), // the writer's latest CAS
            HeartbeatHistory.length(state, historyControl, historyCapacity),
            mean);
    }

    private PhiState phiState(final long code)
    {
        if (code < 0 || code >= PhiState.values().length)
        {
            throw new TrackerFileException(file, CORRUPT, "φ state code " + code);
        }
        return PhiState.fromCode((int)code);
    }

    private List<RttTrackerSnapshot.ChainPrior> chainPriors()
    {
        final List<RttTrackerSnapshot.ChainPrior> list = new ArrayList<>();
        final int limit = chains.highWaterMark();
        for (int record = 0; record < limit; record++)
        {
            if (chains.isLive(record))
            {
                list.add(new RttTrackerSnapshot.ChainPrior(chains.key0(record), ema(chains.recordOffset(record) + EMA_OFFSET)));
            }
        }
        return list;
    }

    private RttTrackerSnapshot.Ema ema(final int emaOffset)
    {
        final long sampleCount = AtomicEma.sampleCount(state, emaOffset); // count first: see AtomicEma
        return RttTrackerSnapshot.Ema.of(AtomicEma.word(state, emaOffset), sampleCount);
    }

    private RttTrackerSnapshot.Counters counters()
    {
        // volatile: each counter whole and recent; they are read one after another, not as one view
        return new RttTrackerSnapshot.Counters(
            state.getLongVolatile(REJECTED_COUNTER_OFFSET),
            sites.overflowCount(),
            edges.overflowCount(),
            chains.overflowCount(),
            reported.overflowCount(),
            state.getLongVolatile(NON_QUIESCENT_COUNTER_OFFSET),
            sites.removedCount(),
            edges.removedCount(),
            reported.removedCount());
    }

    /**
     * The whole state as an {@link RttTrackerSnapshot}, as {@code RttTracker.snapshot()} gives it, but
     * read from the file without writing: for export and bug reports. Not thread-safe: the reader's
     * thread only; safe against the writer process running.
     *
     * @return the snapshot.
     */
    public RttTrackerSnapshot snapshot()
    {
        checkOpen();
        final List<RttTrackerSnapshot.Site> siteList = new ArrayList<>();
        final long[] ring = new long[historyCapacity];
        final int siteLimit = sites.highWaterMark();
        for (int record = 0; record < siteLimit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle == RecordTable.NOT_FOUND)
            {
                continue;
            }
            final int recordOffset = sites.recordOffset(record);
            final RttTrackerSnapshot.Ema ema = ema(recordOffset + SITE_EMA_OFFSET);
            final long lastSeen = state.getLongVolatile(recordOffset + SITE_LAST_SEEN_OFFSET); // as in siteRow
            final int historyControl = recordOffset + SITE_HISTORY_OFFSET;
            final int length = HeartbeatHistory.length(state, historyControl, historyCapacity);
            final double mean = HeartbeatHistory.peekMeanNs(state, historyControl, historyCapacity);
            final int copied = HeartbeatHistory.copyOldestFirst(
                state, historyControl, layout.ringOffset(record),
                historyCapacity, ring);
            final long site = sites.key0(record);
            final PhiState phiState = phiState(state.getLongVolatile(recordOffset + SITE_PHI_STATE_OFFSET)); // as above
            if (!sites.isCurrent(handle))
            {
                continue; // evicted by the writer while read
            }
            final List<Long> history = new ArrayList<>(copied);
            for (int i = 0; i < copied; i++)
            {
                history.add(ring[i]);
            }
            siteList.add(new RttTrackerSnapshot.Site(
                site, ema, lastSeen != NEVER_SEEN, lastSeen & Long.MAX_VALUE, phiState, length, mean, history));
        }
        final List<RttTrackerSnapshot.Edge> edgeList = new ArrayList<>();
        final int edgeLimit = edges.highWaterMark();
        for (int record = 0; record < edgeLimit; record++)
        {
            final long handle = edges.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final RttTrackerSnapshot.Edge edge = new RttTrackerSnapshot.Edge(edges.key0(record),
                    edges.key1(record), (int)edges.key2(record), ema(edges.recordOffset(record) + EMA_OFFSET));
                if (edges.isCurrent(handle))
                {
                    edgeList.add(edge);
                }
            }
        }
        final List<RttTrackerSnapshot.Reported> reportedList = new ArrayList<>();
        final int reportedLimit = reported.highWaterMark();
        for (int record = 0; record < reportedLimit; record++)
        {
            final long handle = reported.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final RttTrackerSnapshot.Reported report = new RttTrackerSnapshot.Reported(reported.key0(record),
                    reported.key1(record), reported.key2(record), ema(reported.recordOffset(record) + EMA_OFFSET));
                if (reported.isCurrent(handle))
                {
                    reportedList.add(report);
                }
            }
        }
        return new RttTrackerSnapshot(
            siteList, edgeList, chainPriors(), reportedList, ema(GLOBAL_PRIOR_OFFSET), counters());
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("TrackerFileReader is closed");
        }
    }

    /**
     * Mark the reader closed; later readings throw {@link IllegalStateException}. The mappings are left
     * to the garbage collector, so a reading racing the close still finds valid memory. Any thread:
     * the flag is volatile.
     */
    @Override
    public void close()
    {
        closed = true; // volatile write: seen by the reading thread's next check
    }
}
