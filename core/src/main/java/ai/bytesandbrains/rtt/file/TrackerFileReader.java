package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.LastSeen;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.TrackerLayout;
import ai.bytesandbrains.rtt.ema.AtomicEma;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.phi.PhiAccrual;
import ai.bytesandbrains.rtt.table.RecordTable;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static ai.bytesandbrains.rtt.TrackerLayout.*;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.*;

/**
 * Reads a tracker file, possibly while another process writes it, without ever writing to it: the
 * file is mapped {@code READ_ONLY}, no lock is taken (in this process its descriptor is shared with the
 * writer's, so that closing it cannot drop the writer's lock), and only read paths are used (a store into a
 * read-only mapping would kill the JVM). In particular no {@code RttTracker} is built over the mapping,
 * since its φ read can count a non-quiescent read; this class reads the words itself: records by
 * enumeration ({@link RecordTable#highWaterMark()}, {@link RecordTable#isLive}, keys), EMA cells count
 * first then word ({@link AtomicEma}), and φ means with {@link HeartbeatHistory#peekMeanNs}. Record
 * offsets are bounded by the capacities validated at open, so a reading never leaves the mapping.
 *
 * <h2>Faults</h2>
 * Every value decoded is range-checked before it is returned: a value no writer stores (a negative
 * count or counter, a history longer than its capacity or with values out of range, a hop index outside
 * 0..255, an unknown φ state or last-seen word, a table bump counter outside its capacity, an impossible
 * owner section) makes the reading throw {@link TrackerFileException} {@code CORRUPT}, naming the file,
 * the table, the record and the field; no reading returns an impossible value or throws an unchecked
 * exception. A record's values are checked only after its generation confirms they were all one
 * occupant's, so a reading racing a live writer (records inserted, evicted and reused, heartbeats in
 * flight) never reports a fault: such a record is skipped or read whole.
 *
 * <p>φ needs "now" on the writer's {@code System.nanoTime()} clock: the header's owner section maps it
 * to the wall clock, re-read at each reading (a restarted writer rewrites it). Readings are as of
 * different instants for different words, each word whole.
 *
 * <p>Not thread-safe: one reader per thread (a reader is cheap). Close every reader: {@link #close()}
 * lets go of the file's descriptor (shared in this process, closed when its last user closes); the
 * mappings are released by the garbage collector.
 */
public final class TrackerFileReader implements AutoCloseable
{
    private final Path file;
    private final OpenFiles.Lease lease;
    private final RttTrackerConfig config;
    private final TrackerLayout layout;
    private final AtomicBuffer header;
    private final AtomicBuffer state;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final int historyCapacity;
    private final SiteWords siteWords;
    private volatile boolean closed; // volatile: a close from another thread stops later readings

    private TrackerFileReader(
        final Path file,
        final OpenFiles.Lease lease,
        final TrackerLayout layout,
        final AtomicBuffer header,
        final AtomicBuffer state)
    {
        this.file = file;
        this.lease = lease;
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
        siteWords = new SiteWords(file, state, layout, sites);
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
                map(file, channel, "header", 0, TrackerFileHeader.FILE_HEADER_LENGTH));
            final TrackerLayout layout = TrackerFileHeader.validate(file, header, length);
            final AtomicBuffer state = new UnsafeBuffer(
                map(file, channel, "state", TrackerFileHeader.FILE_HEADER_LENGTH, layout.totalLength()));
            return new TrackerFileReader(file, lease, layout, header, state);
        }
        catch (final IOException ex)
        {
            throw released(lease, new TrackerFileException(file, IO, ex.toString(), ex));
        }
        catch (final RuntimeException ex)
        {
            throw released(lease, ex);
        }
    }

    private static RuntimeException released(final OpenFiles.Lease lease, final RuntimeException failure)
    {
        try
        {
            lease.release();
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
        return failure;
    }

    private static MappedByteBuffer map(
        final Path file, final FileChannel channel, final String what, final long offset, final long length)
    {
        try
        {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        }
        catch (final IOException ex)
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
        if (owner.pid() <= 0 || owner.openCount() < 1 || owner.openEpochMs() < 0)
        {
            // A stable view (the seqlock), so these are what the last writer left: no writer stores them.
            throw new TrackerFileException(file, CORRUPT, "owner section holds pid " + owner.pid() + ", open count " +
                owner.openCount() + ", open time " + owner.openEpochMs() + " ms");
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
        final int limit = limit(sites, "site");
        for (int record = 0; record < limit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND && siteWords.read(handle, false)) // else evicted while read
            {
                rows.add(siteRow(writerNowNs));
            }
        }
        return new TrackerFileSample(
            writerNowNs,
            owner,
            ProcessHandle.of(owner.pid()).map(ProcessHandle::isAlive).orElse(false),
            rows,
            chainPriors(),
            ema(GLOBAL_PRIOR_OFFSET, "global prior"),
            countLive(edges, "edge"),
            countLive(reported, "reported"),
            counters());
    }

    private SiteRow siteRow(final long writerNowNs)
    {
        final SiteWords words = siteWords;
        final boolean seen = LastSeen.isSeen(words.lastSeen);
        final long lastSeenNs = LastSeen.timeNs(words.lastSeen);
        // A "now" before last-seen (or a clock offset far off) is no silence: never a wrapped difference.
        final double phi = seen && writerNowNs > lastSeenNs ? PhiAccrual.phi(writerNowNs - lastSeenNs, words.meanNs) : 0.0;
        return new SiteRow(
            words.site,
            EmaWord.srttNs(words.word),
            EmaWord.rttvarNs(words.word),
            EmaWord.budgetNs(words.word),
            EmaWord.isWarm(words.word),
            words.sampleCount,
            seen,
            lastSeenNs,
            phi,
            PhiAccrual.classify(phi, config.suspectPhi(), config.downPhi()),
            words.phiState(),
            words.historyLength(),
            words.meanNs);
    }

    /** The table's enumeration bound, refusing a bump counter no writer could leave. */
    private int limit(final RecordTable table, final String kind)
    {
        final long next = state.getLongVolatile((int)tableOffset(table) + RecordTable.NEXT_RECORD_OFFSET); // latest bound
        if (next < 0 || next > table.capacity())
        {
            throw new TrackerFileException(file, CORRUPT, kind + " table: next record " + next + " outside 0.." +
                table.capacity());
        }
        return (int)next;
    }

    private long tableOffset(final RecordTable table)
    {
        return table == sites ? layout.siteTableOffset() : table == edges ? layout.edgeTableOffset() :
            table == chains ? layout.chainTableOffset() : layout.reportedTableOffset();
    }

    /** Records LIVE now, counted: a table's size word can lag by a racing insert or removal, even below 0. */
    private long countLive(final RecordTable table, final String kind)
    {
        long live = 0;
        final int limit = limit(table, kind);
        for (int record = 0; record < limit; record++)
        {
            if (table.isLive(record))
            {
                live++;
            }
        }
        return live;
    }

    private List<RttTrackerSnapshot.ChainPrior> chainPriors()
    {
        final List<RttTrackerSnapshot.ChainPrior> list = new ArrayList<>();
        final int limit = limit(chains, "chain");
        for (int record = 0; record < limit; record++)
        {
            final long handle = chains.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final long chainId = chains.key0(record);
                final long sampleCount = AtomicEma.sampleCount(state, chains.recordOffset(record) + EMA_OFFSET);
                final long word = AtomicEma.word(state, chains.recordOffset(record) + EMA_OFFSET);
                if (chains.isCurrent(handle)) // a restarting writer may reset records it does not keep
                {
                    list.add(new RttTrackerSnapshot.ChainPrior(chainId, checkedEma(word, sampleCount, "chain record " + record)));
                }
            }
        }
        return list;
    }

    private RttTrackerSnapshot.Ema ema(final int emaOffset, final String where)
    {
        final long sampleCount = AtomicEma.sampleCount(state, emaOffset); // count first: see AtomicEma
        return checkedEma(AtomicEma.word(state, emaOffset), sampleCount, where);
    }

    /** Every word decodes to values in range; only the count can be impossible. */
    private RttTrackerSnapshot.Ema checkedEma(final long word, final long sampleCount, final String where)
    {
        if (sampleCount < 0)
        {
            throw new TrackerFileException(file, CORRUPT, where + ": EMA sample count " + sampleCount);
        }
        return RttTrackerSnapshot.Ema.of(word, sampleCount);
    }

    private RttTrackerSnapshot.Counters counters()
    {
        // volatile: each counter whole and recent; they are read one after another, not as one view
        final RttTrackerSnapshot.Counters counters = new RttTrackerSnapshot.Counters(
            state.getLongVolatile(REJECTED_COUNTER_OFFSET),
            sites.overflowCount(),
            edges.overflowCount(),
            chains.overflowCount(),
            reported.overflowCount(),
            state.getLongVolatile(NON_QUIESCENT_COUNTER_OFFSET),
            sites.removedCount(),
            edges.removedCount(),
            reported.removedCount());
        // Counters only grow from 0, so no writer leaves one below 0.
        if ((counters.rejectedSamples() | counters.siteOverflows() | counters.edgeOverflows() |
            counters.chainOverflows() | counters.reportedOverflows() | counters.nonQuiescentPhiReads() |
            counters.evictedSites() | counters.evictedEdges() | counters.evictedReports()) < 0)
        {
            throw new TrackerFileException(file, CORRUPT, "a counter below 0: " + counters);
        }
        return counters;
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
        final SiteWords words = siteWords;
        final int siteLimit = limit(sites, "site");
        for (int record = 0; record < siteLimit; record++)
        {
            final long handle = sites.liveHandle(record);
            if (handle == RecordTable.NOT_FOUND || !words.read(handle, true))
            {
                continue; // not live, or evicted by the writer while read
            }
            final List<Long> history = new ArrayList<>(words.copied);
            for (int i = 0; i < words.copied; i++)
            {
                history.add(words.historyValue(i));
            }
            siteList.add(new RttTrackerSnapshot.Site(
                words.site,
                checkedEma(words.word, words.sampleCount, "site record " + record),
                LastSeen.isSeen(words.lastSeen),
                LastSeen.timeNs(words.lastSeen),
                words.phiState(),
                words.historyLength(),
                words.meanNs,
                history));
        }
        final List<RttTrackerSnapshot.Edge> edgeList = new ArrayList<>();
        final int edgeLimit = limit(edges, "edge");
        for (int record = 0; record < edgeLimit; record++)
        {
            final long handle = edges.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final long site = edges.key0(record);
                final long chainId = edges.key1(record);
                final long hopIndex = edges.key2(record);
                final long sampleCount = AtomicEma.sampleCount(state, edges.recordOffset(record) + EMA_OFFSET);
                final long word = AtomicEma.word(state, edges.recordOffset(record) + EMA_OFFSET);
                if (edges.isCurrent(handle)) // else evicted while read
                {
                    if (hopIndex < 0 || hopIndex > RttTracker.MAX_HOP_INDEX)
                    {
                        throw new TrackerFileException(file, CORRUPT, "edge record " + record + " (site " + site +
                            "): hop index " + hopIndex + " outside 0.." + RttTracker.MAX_HOP_INDEX);
                    }
                    edgeList.add(new RttTrackerSnapshot.Edge(
                        site, chainId, (int)hopIndex, checkedEma(word, sampleCount, "edge record " + record)));
                }
            }
        }
        final List<RttTrackerSnapshot.Reported> reportedList = new ArrayList<>();
        final int reportedLimit = limit(reported, "reported");
        for (int record = 0; record < reportedLimit; record++)
        {
            final long handle = reported.liveHandle(record);
            if (handle != RecordTable.NOT_FOUND)
            {
                final long fromSite = reported.key0(record);
                final long nextHop = reported.key1(record);
                final long chainId = reported.key2(record);
                final long sampleCount = AtomicEma.sampleCount(state, reported.recordOffset(record) + EMA_OFFSET);
                final long word = AtomicEma.word(state, reported.recordOffset(record) + EMA_OFFSET);
                if (reported.isCurrent(handle)) // else evicted while read
                {
                    reportedList.add(new RttTrackerSnapshot.Reported(
                        fromSite, nextHop, chainId, checkedEma(word, sampleCount, "reported record " + record)));
                }
            }
        }
        return new RttTrackerSnapshot(
            siteList, edgeList, chainPriors(), reportedList, ema(GLOBAL_PRIOR_OFFSET, "global prior"), counters());
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
