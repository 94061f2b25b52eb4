package ai.bytesandbrains.rtt.wire;

/**
 * Layout, version and result codes of the reverse-path report message: what a site attaches to its
 * responses about its own outgoing edges, so the caller can {@code ingestReportedOutgoing} them.
 * All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |    version    |  flags (= 0)  |         entry count           |  header
 *  +---------------+---------------+-------------------------------+
 *  |        entry length           |        reserved (= 0)         |
 *  +-------------------------------+-------------------------------+
 *  |                     from site (int64)                         |
 *  +---------------------------------------------------------------+
 *  |                     next hop (int64)                          |  entry 0
 *  |                     chain id (int64)                          |
 *  |                     srtt ns (int64, >= 0)                     |
 *  |                     rttvar ns (int64, >= 0)                   |
 *  |                     sample count (int64, >= 0)                |
 *  +---------------------------------------------------------------+
 *  |                     ... entry count entries ...               |
 * </pre>
 *
 * <b>Versioning.</b> {@code entry length} is written by the encoder ({@link #ENTRY_LENGTH} in version
 * 1). A decoder accepts any entry length of at least {@link #ENTRY_LENGTH} and reads the version-1
 * fields at their offsets, skipping trailing bytes, so a later version may append fields to an entry
 * without breaking version-1 readers. A different {@code version} byte means an incompatible layout and
 * is refused ({@link #UNSUPPORTED_VERSION}). Flags and reserved bits must be zero in version 1.
 *
 * <b>Errors.</b> Decoding returns a result code instead of throwing: bad input is data arriving from
 * the network, not a programming error, and a code costs no allocation. {@link #OK} is 0, every error
 * is negative; {@link #describe(int)} names it.
 */
public final class ReportCodec
{
    /** The version this codec writes and reads. */
    public static final int VERSION = 1;

    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = VERSION_OFFSET + 1;
    /** Offset of the unsigned 16-bit entry count. */
    public static final int ENTRY_COUNT_OFFSET = FLAGS_OFFSET + 1;
    /** Offset of the unsigned 16-bit entry length. */
    public static final int ENTRY_LENGTH_OFFSET = ENTRY_COUNT_OFFSET + Short.BYTES;
    /** Offset of the reserved 16 bits. */
    public static final int RESERVED_OFFSET = ENTRY_LENGTH_OFFSET + Short.BYTES;
    /** Offset of the reporting site. */
    public static final int FROM_SITE_OFFSET = RESERVED_OFFSET + Short.BYTES;
    /** Length of the header. */
    public static final int HEADER_LENGTH = FROM_SITE_OFFSET + Long.BYTES;

    /** Offset of the next hop within an entry. */
    public static final int NEXT_HOP_OFFSET = 0;
    /** Offset of the chain id within an entry. */
    public static final int CHAIN_ID_OFFSET = NEXT_HOP_OFFSET + Long.BYTES;
    /** Offset of srtt within an entry. */
    public static final int SRTT_OFFSET = CHAIN_ID_OFFSET + Long.BYTES;
    /** Offset of rttvar within an entry. */
    public static final int RTTVAR_OFFSET = SRTT_OFFSET + Long.BYTES;
    /** Offset of the sample count within an entry. */
    public static final int SAMPLE_COUNT_OFFSET = RTTVAR_OFFSET + Long.BYTES;
    /** Length of a version-1 entry. */
    public static final int ENTRY_LENGTH = SAMPLE_COUNT_OFFSET + Long.BYTES;

    /** Largest entry count (unsigned 16 bits). */
    public static final int MAX_ENTRIES = 0xFFFF;

    /** Decoded. */
    public static final int OK = 0;
    /** Fewer bytes than a header, or a negative offset or length. */
    public static final int TRUNCATED_HEADER = -1;
    /** The version byte is not {@link #VERSION}. */
    public static final int UNSUPPORTED_VERSION = -2;
    /** Flags or reserved bits set. */
    public static final int RESERVED_BITS_SET = -3;
    /** Entry length below {@link #ENTRY_LENGTH}. */
    public static final int BAD_ENTRY_LENGTH = -4;
    /** Fewer bytes than the header says the entries take. */
    public static final int TRUNCATED_ENTRIES = -5;
    /** A srtt, rttvar or sample count is negative (times are {@code 0..2^63-1}, D1). */
    public static final int NEGATIVE_VALUE = -6;
    /** The range given to the decoder lies outside the buffer. */
    public static final int RANGE_OUTSIDE_BUFFER = -7;

    private ReportCodec()
    {
    }

    /**
     * Pure; thread-safe.
     *
     * @param entryCount entries.
     * @return bytes a version-1 message with {@code entryCount} entries takes.
     */
    public static int encodedLength(final int entryCount)
    {
        return HEADER_LENGTH + entryCount * ENTRY_LENGTH;
    }

    /**
     * A constant description of a result code, for logs; allocation-free. Thread-safe.
     *
     * @param resultCode a code returned by {@link ReportDecoder#wrap}.
     * @return its description.
     */
    public static String describe(final int resultCode)
    {
        switch (resultCode)
        {
            case OK: return "ok";
            case TRUNCATED_HEADER: return "truncated header";
            case UNSUPPORTED_VERSION: return "unsupported version";
            case RESERVED_BITS_SET: return "flags or reserved bits set";
            case BAD_ENTRY_LENGTH: return "entry length below the version-1 entry";
            case TRUNCATED_ENTRIES: return "truncated entries";
            case NEGATIVE_VALUE: return "negative srtt, rttvar or sample count";
            case RANGE_OUTSIDE_BUFFER: return "offset and length outside the buffer";
            default: return "unknown result code";
        }
    }
}
