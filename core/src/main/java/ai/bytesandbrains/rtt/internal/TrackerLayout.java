package ai.bytesandbrains.rtt.internal;

import ai.bytesandbrains.rtt.RttTrackerConfig;

import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.state.SiteRecord;
import org.agrona.BitUtil;

/**
 * Where every part of a tracker's state lives in its buffer, derived from a configuration. The whole
 * state is in one buffer, so that it can be put in a memory-mapped file and read from another process.
 *
 * <h2>Buffer layout</h2>
 * <pre>
 *  0                                                                          offset
 *  +---------------------------------------------------------------------+
 *  | global prior (128 B): published word | pad | shared cell (word, count)|  GLOBAL_PRIOR_OFFSET
 *  +---------------------------------------------------------------------+
 *  | rejected-samples counter (128 B)                                     |  REJECTED_COUNTER_OFFSET
 *  +---------------------------------------------------------------------+
 *  | non-quiescent φ reads counter (128 B)                                |  NON_QUIESCENT_COUNTER_OFFSET
 *  +---------------------------------------------------------------------+
 *  | local pause log (LocalPauseLog, LOCAL_PAUSE_LOG_CAPACITY slots)      |  PAUSE_LOG_OFFSET
 *  +---------------------------------------------------------------------+  HEADER_LENGTH
 *  | prior stripes: S owner words, then S global stripes (word, count),   |  PRIOR_STRIPES_OFFSET
 *  | one 64-byte line each (S = config.priorStripes())                    |
 *  +---------------------------------------------------------------------+
 *  | site table      (RecordTable, SITE_RECORD_LENGTH-byte records)       |  siteTableOffset()
 *  | edge table      (RecordTable, EDGE_RECORD_LENGTH-byte records)       |  edgeTableOffset()
 *  | chain table     (RecordTable, chainRecordLength()-byte records)      |  chainTableOffset()
 *  | reported table  (RecordTable, REPORTED_RECORD_LENGTH-byte records)   |  reportedTableOffset()
 *  | site history rings: siteCapacity * historyCapacity * 8 B             |  ringsOffset()
 *  | name table      (NameTable, nextPow2(2 * siteCapacity) 128-byte slots)|  nameTableOffset()
 *  +---------------------------------------------------------------------+  totalLength()
 * </pre>
 * Regions start on 128-byte boundaries, so a buffer aligned to 128 bytes keeps every record on its
 * own pair of cache lines.
 *
 * <h2>Records (key words and state are {@link RecordTable}'s)</h2>
 * <pre>
 *  site (256 B), written on every observe of that site, so one record per two line pairs:
 *   0     8    16    24     32     40     48          64          72         80                120     128
 *  +-----+----+----+------+------+------+-----------+-----------+----------+-----------------+-------+
 *  |site | 0  | 0  |state | next | pins | EMA cell  | last seen | φ state  | history control | claim |
 *  +-----+----+----+------+------+------+-----------+-----------+----------+-----------------+-------+
 *   128         136         144   192               200   256
 *  +-----------+-----------+-----+-----------------+-----+
 *  | out. count| out. since| pad | contended count | pad |
 *  +-----------+-----------+-----+-----------------+-----+
 *
 *  edge (128 B):     site | chainId | hopIndex | state | next | claim | EMA cell | pins | contended count | pad
 *  chain (128 + 64 S B): chainId | 0 | 0 | state | next | pins | published word | shared cell (line 1) |
 *                    S stripes (word, count), one 64-byte line each (see {@link StripedPrior})
 *  reported (64 B):  fromSite | nextHop | chainId | state | next | pins | EMA cell
 * </pre>
 * {@code last seen} is encoded by {@link SiteRecord}: 0 for "never seen", 1 for "restored, not seen
 * since", else {@code nowNs | Long.MIN_VALUE}: an explicit state (D2), ordered like the timestamps it
 * encodes, and zero memory means never seen. {@code φ state} is
 * the {@link ai.bytesandbrains.rtt.phi.PhiState} ordinal last reported by a scan. {@code out. count} and
 * {@code out. since} are the outstanding-request marker of idle-aware φ
 * ({@link ai.bytesandbrains.rtt.state.OutstandingRequests}), written by every send to the site when that
 * mode is on; they sit alone on the record's third line, apart from the words an observe writes (the
 * contended count, written only by observes that found the site claimed, has the fourth line).
 *
 * <p>{@code claim} is the site's claim word ({@link RecordClaims}): the observe that holds it is the only
 * writer of the EMA cell's count and of the history's {@code completed} and {@code sum}, which it updates
 * with plain loads and release stores. An observe that finds the site claimed pins it and counts into
 * the {@code contended count} and the history's contended words with atomic adds instead; readers add
 * the two.
 *
 * <p>Immutable; thread-safe.
 */
public final class TrackerLayout
{
    /** Bytes of a record that one writer updates independently: two cache lines, as Agrona counters. */
    public static final int ISOLATED_RECORD_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;

    /** Largest hop index an edge key holds. */
    public static final int MAX_HOP_INDEX = 255;

    /** Bytes of a prior stripe: one cache line, written by its owner thread only. */
    public static final int STRIPE_LENGTH = BitUtil.CACHE_LINE_LENGTH;
    /** Offset of the global prior's published word, the one estimates read (see {@link StripedPrior}). */
    public static final int GLOBAL_PRIOR_OFFSET = 0;
    /** Offset of the global prior's shared cell ({@link AtomicEma} layout), on its own line. */
    public static final int GLOBAL_SHARED_OFFSET = GLOBAL_PRIOR_OFFSET + BitUtil.CACHE_LINE_LENGTH;
    /** Offset of the counter of samples and queries rejected for negative times. */
    public static final int REJECTED_COUNTER_OFFSET = GLOBAL_PRIOR_OFFSET + ISOLATED_RECORD_LENGTH;
    /** Offset of the counter of φ reads that used a non-quiescent view of a history. */
    public static final int NON_QUIESCENT_COUNTER_OFFSET = REJECTED_COUNTER_OFFSET + ISOLATED_RECORD_LENGTH;
    /** Local pauses a tracker remembers for φ: a few minutes of GC pauses and scan gaps. */
    public static final int LOCAL_PAUSE_LOG_CAPACITY = 64;
    /** Offset of the local pause log's region, in the buffer so that a file's reader discounts them too. */
    public static final int PAUSE_LOG_OFFSET = NON_QUIESCENT_COUNTER_OFFSET + ISOLATED_RECORD_LENGTH;
    /** Bytes of the fixed header, before the prior stripes. */
    public static final int HEADER_LENGTH = PAUSE_LOG_OFFSET +
        BitUtil.align(LocalPauseLog.regionLength(LOCAL_PAUSE_LOG_CAPACITY), ISOLATED_RECORD_LENGTH);
    /** Offset of the prior stripes' owner words; the global stripes follow them. */
    public static final int PRIOR_STRIPES_OFFSET = HEADER_LENGTH;

    /** Offset of a site's EMA cell in its record. */
    public static final int SITE_EMA_OFFSET = RecordTable.PAYLOAD_OFFSET;
    /** Offset of a site's last-seen word in its record. */
    public static final int SITE_LAST_SEEN_OFFSET = SITE_EMA_OFFSET + AtomicEma.CELL_LENGTH;
    /** Offset of a site's last reported φ state in its record. */
    public static final int SITE_PHI_STATE_OFFSET = SITE_LAST_SEEN_OFFSET + Long.BYTES;
    /** Offset of a site's history control words in its record. */
    public static final int SITE_HISTORY_OFFSET = SITE_PHI_STATE_OFFSET + Long.BYTES;
    /** Offset of a site's claim word ({@link RecordClaims}) in its record. */
    public static final int SITE_CLAIM_OFFSET = SITE_HISTORY_OFFSET + HeartbeatHistory.CONTROL_LENGTH;
    /** Offset of a site's outstanding-request count (idle-aware φ) in its record. */
    public static final int SITE_OUTSTANDING_COUNT_OFFSET = SITE_CLAIM_OFFSET + Long.BYTES;
    /** Offset of the start of a site's current outstanding period (idle-aware φ) in its record. */
    public static final int SITE_OUTSTANDING_SINCE_OFFSET = SITE_OUTSTANDING_COUNT_OFFSET + Long.BYTES;
    /**
     * Offset of the samples counted by observes that found the site claimed (added to the EMA cell's count):
     * on the record's fourth line, apart from the outstanding-request marker that sends write.
     */
    public static final int SITE_CONTENDED_COUNT_OFFSET = 3 * BitUtil.CACHE_LINE_LENGTH;
    /** Bytes of a site record: two line pairs, the hot words of an observe on the first. */
    public static final int SITE_RECORD_LENGTH = 2 * ISOLATED_RECORD_LENGTH;

    /** Offset of the EMA cell in edge, chain and reported records. */
    public static final int EMA_OFFSET = RecordTable.PAYLOAD_OFFSET;
    /**
     * Offset of an edge's claim word ({@link RecordClaims}): the table's pins word, so that a claimant
     * touches only the record's first line (keys, state, claim, EMA cell).
     */
    public static final int EDGE_CLAIM_OFFSET = RecordTable.PINS_OFFSET;
    /** Offset of an edge's pin count, taken only by observes that found the edge claimed: its second line. */
    public static final int EDGE_PINS_OFFSET = EMA_OFFSET + AtomicEma.CELL_LENGTH;
    /** Offset of the samples counted by observes that found the edge claimed (added to its cell's count). */
    public static final int EDGE_CONTENDED_COUNT_OFFSET = EDGE_PINS_OFFSET + Long.BYTES;
    /** Bytes of an edge record: a line pair, written by every observe of its site on its chain and hop. */
    public static final int EDGE_RECORD_LENGTH = ISOLATED_RECORD_LENGTH;
    /** Offset of a chain prior's published word in its record, the one estimates read. */
    public static final int CHAIN_PUBLISHED_OFFSET = EMA_OFFSET;
    /** Offset of a chain prior's shared cell ({@link AtomicEma} layout) in its record: line 1. */
    public static final int CHAIN_SHARED_OFFSET = BitUtil.CACHE_LINE_LENGTH;
    /** Offset of a chain prior's first stripe in its record: line 2, one line per stripe after it. */
    public static final int CHAIN_STRIPES_OFFSET = 2 * BitUtil.CACHE_LINE_LENGTH;
    /** Bytes of a reported record: one cache line. */
    public static final int REPORTED_RECORD_LENGTH = BitUtil.CACHE_LINE_LENGTH;

    /** Value of a last-seen word for a site never seen: {@link SiteRecord#NEVER_SEEN}. */
    public static final long NEVER_SEEN = SiteRecord.NEVER_SEEN;

    static
    {
        if (SITE_CONTENDED_COUNT_OFFSET + Long.BYTES > SITE_RECORD_LENGTH ||
            EDGE_CONTENDED_COUNT_OFFSET + Long.BYTES > EDGE_RECORD_LENGTH ||
            CHAIN_PUBLISHED_OFFSET + Long.BYTES > CHAIN_SHARED_OFFSET ||
            GLOBAL_SHARED_OFFSET + AtomicEma.CELL_LENGTH > REJECTED_COUNTER_OFFSET)
        {
            throw new AssertionError("record layout overflows its record");
        }
    }

    private final RttTrackerConfig config;
    private final int priorStripes;
    private final int globalStripesOffset;
    private final int chainRecordLength;
    private final long siteTableOffset;
    private final long edgeTableOffset;
    private final long chainTableOffset;
    private final long reportedTableOffset;
    private final long ringsOffset;
    private final long nameTableOffset;
    private final long totalLength;

    /**
     * The layout is immutable; thread-safe.
     *
     * @param config the configuration to lay out.
     */
    public TrackerLayout(final RttTrackerConfig config)
    {
        this.config = config;
        priorStripes = config.priorStripes();
        // Owner words are read on every observe and written once per stripe: their own lines, apart from the stripes.
        globalStripesOffset = PRIOR_STRIPES_OFFSET + BitUtil.align(priorStripes * Long.BYTES, BitUtil.CACHE_LINE_LENGTH);
        chainRecordLength = CHAIN_STRIPES_OFFSET + priorStripes * STRIPE_LENGTH;
        siteTableOffset = BitUtil.align(globalStripesOffset + priorStripes * STRIPE_LENGTH, ISOLATED_RECORD_LENGTH);
        edgeTableOffset = siteTableOffset + region(config.siteCapacity(), SITE_RECORD_LENGTH);
        chainTableOffset = edgeTableOffset + region(config.edgeCapacity(), EDGE_RECORD_LENGTH);
        reportedTableOffset = chainTableOffset + region(config.chainCapacity(), chainRecordLength);
        ringsOffset = reportedTableOffset + region(config.reportedCapacity(), REPORTED_RECORD_LENGTH);
        nameTableOffset = BitUtil.align(
            ringsOffset + (long)config.siteCapacity() * HeartbeatHistory.ringLength(config.historyCapacity()),
            ISOLATED_RECORD_LENGTH);
        totalLength = nameTableOffset + NameTable.regionLength(config.siteCapacity());
    }

    private static long region(final int capacity, final int recordLength)
    {
        return BitUtil.align(RecordTable.regionLength(capacity, recordLength), ISOLATED_RECORD_LENGTH);
    }

    /**
     * Immutable; thread-safe.
     *
     * @return the configuration laid out.
     */
    public RttTrackerConfig config()
    {
        return config;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return stripes of the global and chain priors, a power of two.
     */
    public int priorStripes()
    {
        return priorStripes;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of global stripe 0; stripe {@code i} is {@link #STRIPE_LENGTH} bytes further per index.
     */
    public int globalStripesOffset()
    {
        return globalStripesOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return bytes of a chain record: its key and state line, its shared cell's line, one line per stripe.
     */
    public int chainRecordLength()
    {
        return chainRecordLength;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return bytes of the whole state; may exceed what one buffer can address.
     */
    public long totalLength()
    {
        return totalLength;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the site table region.
     */
    public long siteTableOffset()
    {
        return siteTableOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the edge table region.
     */
    public long edgeTableOffset()
    {
        return edgeTableOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the chain table region.
     */
    public long chainTableOffset()
    {
        return chainTableOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the reported table region.
     */
    public long reportedTableOffset()
    {
        return reportedTableOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the site history rings.
     */
    public long ringsOffset()
    {
        return ringsOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @return offset of the name table region.
     */
    public long nameTableOffset()
    {
        return nameTableOffset;
    }

    /**
     * Immutable; thread-safe.
     *
     * @param record a site record index.
     * @return offset of that site's history ring.
     */
    public int ringOffset(final int record)
    {
        return (int)(ringsOffset + (long)record * HeartbeatHistory.ringLength(config.historyCapacity()));
    }

    /**
     * Immutable; thread-safe.
     *
     * @return bytes per tracked site: its record, its two bucket heads, its history ring and its two name slots.
     */
    public long bytesPerSite()
    {
        return SITE_RECORD_LENGTH + 2L * Long.BYTES + HeartbeatHistory.ringLength(config.historyCapacity()) +
            2L * NameTable.SLOT_LENGTH;
    }
}
