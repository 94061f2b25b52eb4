package ai.bytesandbrains.rtt.state;

import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.internal.LocalPauseLog;
import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.internal.RecordTable;
import org.agrona.concurrent.AtomicBuffer;

import static ai.bytesandbrains.rtt.internal.TrackerLayout.EDGE_CLAIM_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.EDGE_PINS_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.EDGE_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.LOCAL_PAUSE_LOG_CAPACITY;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.PAUSE_LOG_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.REPORTED_RECORD_LENGTH;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_CLAIM_OFFSET;
import static ai.bytesandbrains.rtt.internal.TrackerLayout.SITE_RECORD_LENGTH;

/**
 * A tracker's buffer seen through its layout: the four record tables, the name table and the local pause log, built
 * once over the buffer. The one place that turns layout offsets into tables, used by the tracker, its
 * reader, the evictor, restart recovery, the file reader and test fixtures. Building it writes nothing,
 * so it may wrap a read-only mapping (then only read through it).
 *
 * <p>Immutable; thread-safe. The tables it hands out have the threading contracts of {@link RecordTable}.
 */
public final class TrackerTables
{
    private final TrackerLayout layout;
    private final AtomicBuffer buffer;
    private final RecordTable sites;
    private final RecordTable edges;
    private final RecordTable chains;
    private final RecordTable reported;
    private final LocalPauseLog pauseLog;
    private final NameTable names;

    /**
     * Wrap a buffer laid out by {@code layout}; writes nothing. Any thread.
     *
     * @param layout          the layout.
     * @param buffer          holding at least {@code layout.totalLength()} bytes.
     * @param maxLocalPauseNs longest local pause the log takes, {@code > 0}.
     */
    public TrackerTables(final TrackerLayout layout, final AtomicBuffer buffer, final long maxLocalPauseNs)
    {
        this.layout = layout;
        this.buffer = buffer;
        sites = new RecordTable(
            buffer, (int)layout.siteTableOffset(), layout.config().siteCapacity(), SITE_RECORD_LENGTH, SITE_CLAIM_OFFSET,
            RecordTable.PINS_OFFSET);
        edges = new RecordTable(
            buffer, (int)layout.edgeTableOffset(), layout.config().edgeCapacity(), EDGE_RECORD_LENGTH, EDGE_CLAIM_OFFSET,
            EDGE_PINS_OFFSET);
        chains = new RecordTable(
            buffer, (int)layout.chainTableOffset(), layout.config().chainCapacity(), layout.chainRecordLength());
        reported = new RecordTable(
            buffer, (int)layout.reportedTableOffset(), layout.config().reportedCapacity(), REPORTED_RECORD_LENGTH);
        pauseLog = new LocalPauseLog(buffer, PAUSE_LOG_OFFSET, LOCAL_PAUSE_LOG_CAPACITY, maxLocalPauseNs);
        names = new NameTable(buffer, (int)layout.nameTableOffset(), layout.config().siteCapacity());
    }

    /**
     * Wrap a buffer laid out by {@code layout}, with the configuration's longest local pause.
     *
     * @param layout the layout.
     * @param buffer holding at least {@code layout.totalLength()} bytes.
     */
    public TrackerTables(final TrackerLayout layout, final AtomicBuffer buffer)
    {
        this(layout, buffer, layout.config().maxLocalPauseNs());
    }

    /** @return the layout. */
    public TrackerLayout layout()
    {
        return layout;
    }

    /** @return the buffer. */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /** @return the site table. */
    public RecordTable sites()
    {
        return sites;
    }

    /** @return the edge table. */
    public RecordTable edges()
    {
        return edges;
    }

    /** @return the chain table. */
    public RecordTable chains()
    {
        return chains;
    }

    /** @return the reported table. */
    public RecordTable reported()
    {
        return reported;
    }

    /** @return the site names, in the buffer. */
    public NameTable names()
    {
        return names;
    }

    /** @return the local pause log, in the buffer. */
    public LocalPauseLog pauseLog()
    {
        return pauseLog;
    }

    /** @return the history capacity of every site. */
    public int historyCapacity()
    {
        return layout.config().historyCapacity();
    }

    /**
     * @param record a site record index.
     * @return offset of that site's history ring.
     */
    public int ringOffset(final int record)
    {
        return layout.ringOffset(record);
    }
}
