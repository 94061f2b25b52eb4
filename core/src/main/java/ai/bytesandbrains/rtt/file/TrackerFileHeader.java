package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.internal.TrackerLayout;
import ai.bytesandbrains.rtt.ema.EmaShifts;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.CORRUPT;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.FOREIGN;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.NOT_READY;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.TRUNCATED;
import static ai.bytesandbrains.rtt.file.TrackerFileException.Reason.WRONG_VERSION;

/**
 * The header of a tracker file: what a reader needs to check the file and find the state. Native byte
 * order (little-endian on x86-64 and AArch64).
 *
 * <h2>File layout</h2>
 * <pre>
 *  0                                                   FILE_HEADER_LENGTH (4096)        end
 *  +---------------------------------------------------+------------------------------+
 *  | header (this class)                               | tracker state (TrackerLayout) |
 *  +---------------------------------------------------+------------------------------+
 *                                                      STATE_OFFSET, page-aligned, so the
 *                                                      state keeps its 128-byte alignment
 * </pre>
 *
 * <h2>Header layout</h2>
 * <pre>
 *   0       8       12      16                                                      52    56
 *  +-------+-------+-------+--------+--------+--------+--------+--------+-----+-----+-----+-----+----+
 *  | magic |version|hdr len| sites  | edges  | chains |reported|history | a   | b   | ga  | gb  | K  |
 *  +-------+-------+-------+--------+--------+--------+--------+--------+-----+-----+-----+-----+----+
 *   56           64           72            80            88 .. 136                     136      140   144
 *  +------------+------------+-------------+-------------+-------------------------------+--------+-----+
 *  | suspectPhi | downPhi    | state offset| state length| 6 region offsets in the state | φ mode | S   |
 *  +------------+------------+-------------+-------------+-------------------------------+--------+-----+
 *   144                    152
 *  +-----------------------+--------+
 *  | acceptable pause (ns) | CRC32C |
 *  +-----------------------+--------+
 *   256 (owner section, rewritten by every writer that opens the file)
 *  +------------+------------+--------------------------+---------------+------------+
 *  | owner seq  | owner pid  | clock offset (epoch ns -  | open epoch ms | open count |
 *  |            |            | nanoTime at open)        |               |            |
 *  +------------+------------+--------------------------+---------------+------------+
 * </pre>
 * The CRC32C covers bytes {@link #HEADER_LENGTH_OFFSET} to {@link #CHECKSUM_OFFSET}: everything the
 * creator writes once. The version word is 0 until the creator has written all of that, then
 * {@link #LAYOUT_VERSION}, stored last with release semantics (as Aeron's CnC file): a reader that
 * loads it with acquire and sees the version sees the whole static header.
 *
 * <p>The owner section changes at every open for writing, so it is outside the CRC and guarded by a
 * sequence word instead: odd while a writer rewrites it, even when stable (a seqlock). The clock offset
 * lets another process translate its wall clock into the writer's {@code System.nanoTime()}:
 * {@code writerNow = epochNanos - clockOffset}.
 */
public final class TrackerFileHeader
{
    /** "BBRTTMAP" in little-endian ASCII. */
    public static final long MAGIC = 0x5041_4D54_5452_4242L;
    /**
     * The layout version this code writes and reads. 5: site records of 256 bytes and edge records of
     * 128 with a claim word and contended counts (and the site's contended history words), the
     * one-multiply lookup hash (restore checks each record sits in its key's bucket), and the priors'
     * stripes (owner words and global stripes after the fixed header, stripes in chain records, the
     * stripe count in the header); 4: the name table, the outstanding-request
     * marker in site records, and K, φ mode and acceptable pause in the header; 3: the
     * local pause log in the state; 2: chained buckets, generations, pins.
     */
    public static final int LAYOUT_VERSION = 5;
    /** Version word value while the header is being written. */
    public static final int NOT_READY_VERSION = 0;

    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version/ready word, written last. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Offset of the header length: where the state starts. */
    public static final int HEADER_LENGTH_OFFSET = VERSION_OFFSET + Integer.BYTES;
    /** Offset of {@code siteCapacity}. */
    public static final int SITE_CAPACITY_OFFSET = HEADER_LENGTH_OFFSET + Integer.BYTES;
    /** Offset of {@code edgeCapacity}. */
    public static final int EDGE_CAPACITY_OFFSET = SITE_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of {@code chainCapacity}. */
    public static final int CHAIN_CAPACITY_OFFSET = EDGE_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of {@code reportedCapacity}. */
    public static final int REPORTED_CAPACITY_OFFSET = CHAIN_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of {@code historyCapacity}. */
    public static final int HISTORY_CAPACITY_OFFSET = REPORTED_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the EMA alpha shift. */
    public static final int ALPHA_SHIFT_OFFSET = HISTORY_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the EMA beta shift. */
    public static final int BETA_SHIFT_OFFSET = ALPHA_SHIFT_OFFSET + Integer.BYTES;
    /** Offset of the global prior's alpha shift. */
    public static final int GLOBAL_ALPHA_SHIFT_OFFSET = BETA_SHIFT_OFFSET + Integer.BYTES;
    /** Offset of the global prior's beta shift. */
    public static final int GLOBAL_BETA_SHIFT_OFFSET = GLOBAL_ALPHA_SHIFT_OFFSET + Integer.BYTES;
    /** Offset of the budget multiplier K. */
    public static final int BUDGET_MULTIPLIER_OFFSET = GLOBAL_BETA_SHIFT_OFFSET + Integer.BYTES;
    /** Offset of {@code suspectPhi}. */
    public static final int SUSPECT_PHI_OFFSET = BUDGET_MULTIPLIER_OFFSET + Integer.BYTES;
    /** Offset of {@code downPhi}. */
    public static final int DOWN_PHI_OFFSET = SUSPECT_PHI_OFFSET + Double.BYTES;
    /** Offset of the state region's offset in the file. */
    public static final int STATE_OFFSET_OFFSET = DOWN_PHI_OFFSET + Double.BYTES;
    /** Offset of the state region's length. */
    public static final int STATE_LENGTH_OFFSET = STATE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the site table's offset in the state. */
    public static final int SITE_TABLE_OFFSET_OFFSET = STATE_LENGTH_OFFSET + Long.BYTES;
    /** Offset of the edge table's offset in the state. */
    public static final int EDGE_TABLE_OFFSET_OFFSET = SITE_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the chain table's offset in the state. */
    public static final int CHAIN_TABLE_OFFSET_OFFSET = EDGE_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the reported table's offset in the state. */
    public static final int REPORTED_TABLE_OFFSET_OFFSET = CHAIN_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the history rings' offset in the state. */
    public static final int RINGS_OFFSET_OFFSET = REPORTED_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the name table's offset in the state. */
    public static final int NAME_TABLE_OFFSET_OFFSET = RINGS_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the φ mode: {@link #PHI_MODE_PLAIN} or {@link #PHI_MODE_IDLE_AWARE}. */
    public static final int PHI_MODE_OFFSET = NAME_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of {@code priorStripes}. */
    public static final int PRIOR_STRIPES_OFFSET = PHI_MODE_OFFSET + Integer.BYTES;
    /** Offset of {@code acceptablePauseNs}. */
    public static final int ACCEPTABLE_PAUSE_OFFSET = PRIOR_STRIPES_OFFSET + Integer.BYTES;
    /** Offset of the CRC32C of bytes {@code [HEADER_LENGTH_OFFSET, CHECKSUM_OFFSET)}. */
    public static final int CHECKSUM_OFFSET = ACCEPTABLE_PAUSE_OFFSET + Long.BYTES;

    /** φ mode word: the reference's plain φ. */
    public static final int PHI_MODE_PLAIN = 0;
    /** φ mode word: idle-aware φ, silence only while a request is outstanding. */
    public static final int PHI_MODE_IDLE_AWARE = 1;

    /** Offset of the owner section's sequence word: odd while being rewritten. */
    public static final int OWNER_SEQUENCE_OFFSET = 2 * TrackerLayout.ISOLATED_RECORD_LENGTH;
    /** Offset of the writer's process id. */
    public static final int OWNER_PID_OFFSET = OWNER_SEQUENCE_OFFSET + Long.BYTES;
    /** Offset of the writer's clock offset: epoch nanoseconds minus {@code System.nanoTime()} at open. */
    public static final int CLOCK_OFFSET_OFFSET = OWNER_PID_OFFSET + Long.BYTES;
    /** Offset of the wall-clock time of the writer's open, epoch milliseconds. */
    public static final int OPEN_EPOCH_MS_OFFSET = CLOCK_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the number of opens for writing, creation included. */
    public static final int OPEN_COUNT_OFFSET = OPEN_EPOCH_MS_OFFSET + Long.BYTES;
    /** End of the header's used bytes. */
    public static final int HEADER_USED_LENGTH = OPEN_COUNT_OFFSET + Long.BYTES;

    /** Bytes of the header, and offset of the state: one page. */
    public static final int FILE_HEADER_LENGTH = 4096;
    /** Largest state region: what one buffer can address. */
    public static final long MAX_STATE_LENGTH = Integer.MAX_VALUE - 8;

    /** Attempts of a reader to see a stable owner section. */
    static final int OWNER_READ_ATTEMPTS = 1000;

    static
    {
        if (CHECKSUM_OFFSET + Integer.BYTES > OWNER_SEQUENCE_OFFSET || HEADER_USED_LENGTH > FILE_HEADER_LENGTH)
        {
            throw new AssertionError("header layout overflows");
        }
    }

    /**
     * The writer that last opened the file. Immutable; thread-safe.
     *
     * @param pid           its process id.
     * @param clockOffsetNs epoch nanoseconds minus its {@code System.nanoTime()} at open.
     * @param openEpochMs   wall-clock time of the open.
     * @param openCount     opens for writing so far, creation included.
     */
    public record Owner(long pid, long clockOffsetNs, long openEpochMs, long openCount)
    {
        /**
         * @param epochNanos a wall-clock time in epoch nanoseconds.
         * @return the same instant on the writer's {@code System.nanoTime()} clock. Pure; any thread.
         */
        public long writerNanoTime(final long epochNanos)
        {
            return epochNanos - clockOffsetNs;
        }
    }

    private TrackerFileHeader()
    {
    }

    /**
     * Write the static header (everything but the version word) and its checksum; the creator only,
     * before {@link #publish}.
     *
     * @param header the mapped header.
     * @param layout the layout of the state.
     */
    static void writeStatic(final AtomicBuffer header, final TrackerLayout layout)
    {
        final RttTrackerConfig config = layout.config();
        header.putLong(MAGIC_OFFSET, MAGIC);
        header.putInt(HEADER_LENGTH_OFFSET, FILE_HEADER_LENGTH);
        header.putInt(SITE_CAPACITY_OFFSET, config.siteCapacity());
        header.putInt(EDGE_CAPACITY_OFFSET, config.edgeCapacity());
        header.putInt(CHAIN_CAPACITY_OFFSET, config.chainCapacity());
        header.putInt(REPORTED_CAPACITY_OFFSET, config.reportedCapacity());
        header.putInt(HISTORY_CAPACITY_OFFSET, config.historyCapacity());
        header.putInt(ALPHA_SHIFT_OFFSET, config.emaShifts().alphaShift());
        header.putInt(BETA_SHIFT_OFFSET, config.emaShifts().betaShift());
        header.putInt(GLOBAL_ALPHA_SHIFT_OFFSET, config.globalPriorShifts().alphaShift());
        header.putInt(GLOBAL_BETA_SHIFT_OFFSET, config.globalPriorShifts().betaShift());
        header.putInt(BUDGET_MULTIPLIER_OFFSET, config.budgetMultiplier());
        header.putInt(PHI_MODE_OFFSET, config.idleAwarePhi() ? PHI_MODE_IDLE_AWARE : PHI_MODE_PLAIN);
        header.putInt(PRIOR_STRIPES_OFFSET, config.priorStripes());
        header.putLong(ACCEPTABLE_PAUSE_OFFSET, config.acceptablePauseNs());
        header.putDouble(SUSPECT_PHI_OFFSET, config.suspectPhi());
        header.putDouble(DOWN_PHI_OFFSET, config.downPhi());
        header.putLong(STATE_OFFSET_OFFSET, FILE_HEADER_LENGTH);
        header.putLong(STATE_LENGTH_OFFSET, layout.totalLength());
        header.putLong(SITE_TABLE_OFFSET_OFFSET, layout.siteTableOffset());
        header.putLong(EDGE_TABLE_OFFSET_OFFSET, layout.edgeTableOffset());
        header.putLong(CHAIN_TABLE_OFFSET_OFFSET, layout.chainTableOffset());
        header.putLong(REPORTED_TABLE_OFFSET_OFFSET, layout.reportedTableOffset());
        header.putLong(RINGS_OFFSET_OFFSET, layout.ringsOffset());
        header.putLong(NAME_TABLE_OFFSET_OFFSET, layout.nameTableOffset());
        header.putInt(CHECKSUM_OFFSET, checksum(header));
    }

    /**
     * Publish the header: the version word, with release semantics, after every other header store.
     *
     * @param header the mapped header.
     */
    static void publish(final AtomicBuffer header)
    {
        header.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION); // release: the static header before the version
    }

    /**
     * Rewrite the owner section as a seqlock writer; the lock holder only.
     *
     * @param header        the mapped header.
     * @param pid           this process.
     * @param clockOffsetNs epoch nanoseconds minus {@code System.nanoTime()}, now.
     * @param openEpochMs   now, epoch milliseconds.
     */
    static void writeOwner(final AtomicBuffer header, final long pid, final long clockOffsetNs, final long openEpochMs)
    {
        long sequence = header.getLongVolatile(OWNER_SEQUENCE_OFFSET); // the lock holder's own word: latest
        if ((sequence & 1) != 0)
        {
            sequence++; // a writer died mid-update: its section is rewritten whole below
        }
        header.putLongVolatile(OWNER_SEQUENCE_OFFSET, sequence + 1); // odd: readers retry
        // A volatile store does not keep later plain stores from becoming visible before it: without this
        // fence a reader could see the new fields between two even stamps.
        VarHandle.releaseFence();
        header.putLong(OWNER_PID_OFFSET, pid);
        header.putLong(CLOCK_OFFSET_OFFSET, clockOffsetNs);
        header.putLong(OPEN_EPOCH_MS_OFFSET, openEpochMs);
        final long openCount = header.getLong(OPEN_COUNT_OFFSET);
        // A count no writer leaves (below 0, or about to wrap) restarts at 1 rather than stay impossible.
        header.putLong(OPEN_COUNT_OFFSET, openCount < 0 || openCount == Long.MAX_VALUE ? 1 : openCount + 1);
        header.putLongRelease(OWNER_SEQUENCE_OFFSET, sequence + 2); // even: the stores above are visible
    }

    /**
     * Read the owner section as a seqlock reader; never writes.
     *
     * @param header the mapped header.
     * @return the owner, or {@code null} when no stable view was seen in {@link #OWNER_READ_ATTEMPTS}.
     */
    static Owner readOwner(final AtomicBuffer header)
    {
        for (int attempt = 0; attempt < OWNER_READ_ATTEMPTS; attempt++)
        {
            final long before = header.getLongAcquire(OWNER_SEQUENCE_OFFSET); // acquire: the fields below come after
            if ((before & 1) == 0)
            {
                // Volatile reads keep the fields before the second sequence read, and the fields whole.
                final long pid = header.getLongVolatile(OWNER_PID_OFFSET);
                final long clockOffset = header.getLongVolatile(CLOCK_OFFSET_OFFSET);
                final long openEpochMs = header.getLongVolatile(OPEN_EPOCH_MS_OFFSET);
                final long openCount = header.getLongVolatile(OPEN_COUNT_OFFSET);
                if (header.getLongVolatile(OWNER_SEQUENCE_OFFSET) == before) // unchanged and even: a stable view
                {
                    return new Owner(pid, clockOffset, openEpochMs, openCount);
                }
            }
            Thread.onSpinWait();
        }
        return null;
    }

    /**
     * @param header the mapped header.
     * @return CRC32C of bytes {@code [HEADER_LENGTH_OFFSET, CHECKSUM_OFFSET)}.
     */
    static int checksum(final AtomicBuffer header)
    {
        final byte[] bytes = new byte[CHECKSUM_OFFSET - HEADER_LENGTH_OFFSET];
        header.getBytes(HEADER_LENGTH_OFFSET, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int)crc.getValue();
    }

    /**
     * Validate a mapped header against the file's length and decode its configuration; reads only.
     *
     * @param file       for messages.
     * @param header     the mapped header, {@link #FILE_HEADER_LENGTH} bytes.
     * @param fileLength the file's length.
     * @return the layout the header describes, checked against the layout its configuration implies.
     * @throws TrackerFileException naming what is wrong.
     */
    static TrackerLayout validate(final Path file, final AtomicBuffer header, final long fileLength)
    {
        // Version first, with acquire: once it reads as published, the magic and the static header
        // written before it are visible; a magic read earlier could be a creator's unwritten zero.
        final int version = header.getIntAcquire(VERSION_OFFSET);
        final long magic = header.getLong(MAGIC_OFFSET);
        if (version == NOT_READY_VERSION && (magic == 0 || magic == MAGIC))
        {
            throw new TrackerFileException(file, NOT_READY,
                "the header is not published: creation is in progress, or was interrupted (then delete the file)");
        }
        if (magic != MAGIC)
        {
            throw new TrackerFileException(file, FOREIGN, String.format(
                "magic is 0x%016x, expected 0x%016x (\"BBRTTMAP\"): not a bb-rtt tracker file", magic, MAGIC));
        }
        if (version != LAYOUT_VERSION)
        {
            throw new TrackerFileException(file, WRONG_VERSION,
                "layout version " + version + ", this code reads version " + LAYOUT_VERSION +
                (version < LAYOUT_VERSION ? " (migrate the state, or delete the file)" : ""));
        }
        final int stored = header.getInt(CHECKSUM_OFFSET);
        final int computed = checksum(header);
        if (stored != computed)
        {
            throw new TrackerFileException(file, CORRUPT, String.format(
                "header checksum 0x%08x, computed 0x%08x", stored, computed));
        }
        final int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
        final long stateOffset = header.getLong(STATE_OFFSET_OFFSET);
        if (headerLength != FILE_HEADER_LENGTH || stateOffset != FILE_HEADER_LENGTH)
        {
            throw new TrackerFileException(file, CORRUPT, "header length " + headerLength + " and state offset " +
                stateOffset + ", expected " + FILE_HEADER_LENGTH);
        }
        final RttTrackerConfig config;
        try
        {
            config = readConfig(header);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TrackerFileException(file, CORRUPT, "invalid configuration in header: " + ex.getMessage(), ex);
        }
        final TrackerLayout layout = new TrackerLayout(config);
        final long stateLength = header.getLong(STATE_LENGTH_OFFSET);
        if (stateLength != layout.totalLength() ||
            header.getLong(SITE_TABLE_OFFSET_OFFSET) != layout.siteTableOffset() ||
            header.getLong(EDGE_TABLE_OFFSET_OFFSET) != layout.edgeTableOffset() ||
            header.getLong(CHAIN_TABLE_OFFSET_OFFSET) != layout.chainTableOffset() ||
            header.getLong(REPORTED_TABLE_OFFSET_OFFSET) != layout.reportedTableOffset() ||
            header.getLong(RINGS_OFFSET_OFFSET) != layout.ringsOffset() ||
            header.getLong(NAME_TABLE_OFFSET_OFFSET) != layout.nameTableOffset())
        {
            throw new TrackerFileException(file, CORRUPT, "state regions in header (length " + stateLength +
                ") differ from the layout of its configuration (length " + layout.totalLength() + ")");
        }
        if (stateLength > MAX_STATE_LENGTH)
        {
            throw new TrackerFileException(file, CORRUPT, "state length " + stateLength + " exceeds one buffer");
        }
        if (fileLength < FILE_HEADER_LENGTH + stateLength)
        {
            throw new TrackerFileException(file, TRUNCATED, "file is " + fileLength + " bytes, header says " +
                (FILE_HEADER_LENGTH + stateLength));
        }
        return layout;
    }

    private static RttTrackerConfig readConfig(final AtomicBuffer header)
    {
        final int phiMode = header.getInt(PHI_MODE_OFFSET);
        if (phiMode != PHI_MODE_PLAIN && phiMode != PHI_MODE_IDLE_AWARE)
        {
            throw new IllegalArgumentException("φ mode " + phiMode + " is neither plain (" + PHI_MODE_PLAIN +
                ") nor idle-aware (" + PHI_MODE_IDLE_AWARE + ")");
        }
        return new RttTrackerConfig(
            header.getInt(SITE_CAPACITY_OFFSET),
            header.getInt(EDGE_CAPACITY_OFFSET),
            header.getInt(CHAIN_CAPACITY_OFFSET),
            header.getInt(REPORTED_CAPACITY_OFFSET),
            header.getInt(HISTORY_CAPACITY_OFFSET),
            header.getDouble(SUSPECT_PHI_OFFSET),
            header.getDouble(DOWN_PHI_OFFSET),
            new EmaShifts(header.getInt(ALPHA_SHIFT_OFFSET), header.getInt(BETA_SHIFT_OFFSET)),
            new EmaShifts(header.getInt(GLOBAL_ALPHA_SHIFT_OFFSET), header.getInt(GLOBAL_BETA_SHIFT_OFFSET)),
            true,
            RttTrackerConfig.DEFAULT_LOCAL_PAUSE_MIN_NS,
            RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS,
            header.getInt(BUDGET_MULTIPLIER_OFFSET),
            phiMode == PHI_MODE_IDLE_AWARE,
            header.getLong(ACCEPTABLE_PAUSE_OFFSET),
            header.getInt(PRIOR_STRIPES_OFFSET));
    }

    /**
     * @param expected the configuration asked for.
     * @param actual   the file's.
     * @return the differing parameters, {@code name=actual (expected ...)}, comma separated; empty when equal.
     */
    static String differences(final RttTrackerConfig expected, final RttTrackerConfig actual)
    {
        final List<String> diffs = new ArrayList<>();
        diff(diffs, "siteCapacity", expected.siteCapacity(), actual.siteCapacity());
        diff(diffs, "edgeCapacity", expected.edgeCapacity(), actual.edgeCapacity());
        diff(diffs, "chainCapacity", expected.chainCapacity(), actual.chainCapacity());
        diff(diffs, "reportedCapacity", expected.reportedCapacity(), actual.reportedCapacity());
        diff(diffs, "historyCapacity", expected.historyCapacity(), actual.historyCapacity());
        diff(diffs, "suspectPhi", expected.suspectPhi(), actual.suspectPhi());
        diff(diffs, "downPhi", expected.downPhi(), actual.downPhi());
        diff(diffs, "emaShifts", expected.emaShifts(), actual.emaShifts());
        diff(diffs, "globalPriorShifts", expected.globalPriorShifts(), actual.globalPriorShifts());
        diff(diffs, "budgetMultiplier", expected.budgetMultiplier(), actual.budgetMultiplier());
        diff(diffs, "idleAwarePhi", expected.idleAwarePhi(), actual.idleAwarePhi());
        diff(diffs, "acceptablePauseNs", expected.acceptablePauseNs(), actual.acceptablePauseNs());
        diff(diffs, "priorStripes", expected.priorStripes(), actual.priorStripes());
        return String.join(", ", diffs);
    }

    private static void diff(final List<String> diffs, final String name, final Object expected, final Object actual)
    {
        if (!expected.equals(actual))
        {
            diffs.add(name + "=" + actual + " in file, " + expected + " asked for");
        }
    }
}
