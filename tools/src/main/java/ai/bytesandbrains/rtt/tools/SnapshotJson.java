package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * The whole state of a tracker as JSON, for bug reports, and back. The document is
 * <pre>
 * { "format": "bb-rtt-snapshot", "version": 2,
 *   "config":   { siteCapacity, edgeCapacity, ..., emaShifts: {alphaShift, betaShift}, ... },
 *   "snapshot": { sites: [...], edges: [...], chainPriors: [...], reported: [...], globalPrior, counters } }
 * </pre>
 * with the fields of {@link RttTrackerConfig} and {@link RttTrackerSnapshot}; times in nanoseconds, ids
 * as signed 64-bit integers. Reading validates the configuration as the builder does and refuses other
 * formats or versions and unknown fields.
 *
 * <p>Version 2 added the local-pause settings to the configuration and the eviction counters to the
 * counters. A version 1 document is still read: it gets local-pause awareness at its defaults and
 * eviction counters of 0, which is what the tracker that wrote it had. A document without
 * {@code maxLocalPauseNs} (written before that setting existed) gets its default.
 */
public final class SnapshotJson
{
    /** Value of the "format" field. */
    public static final String FORMAT = "bb-rtt-snapshot";
    /** Version of the document layout. */
    public static final int VERSION = 2;
    /** The previous version, still read. */
    public static final int VERSION_1 = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /**
     * A snapshot with the configuration it was taken under.
     *
     * @param format   {@link #FORMAT}.
     * @param version  {@link #VERSION}.
     * @param config   the tracker's configuration.
     * @param snapshot its state.
     */
    public record Document(String format, int version, RttTrackerConfig config, RttTrackerSnapshot snapshot)
    {
        /**
         * @param config   the configuration.
         * @param snapshot the state.
         * @return a document of the current format.
         */
        public static Document of(final RttTrackerConfig config, final RttTrackerSnapshot snapshot)
        {
            return new Document(FORMAT, VERSION, config, snapshot);
        }
    }

    private SnapshotJson()
    {
    }

    /**
     * @param tracker a tracker (any thread may be using it: see {@link RttTracker#snapshot()}).
     * @return its whole state as JSON.
     */
    public static String export(final RttTracker tracker)
    {
        return write(Document.of(tracker.config(), tracker.snapshot()));
    }

    /**
     * @param document the document.
     * @return it as JSON.
     */
    public static String write(final Document document)
    {
        try
        {
            return MAPPER.writeValueAsString(document);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write snapshot JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param json a document written by {@link #write}.
     * @return the document.
     * @throws IllegalArgumentException when the JSON is malformed, of another format or version, or
     *                                  holds an invalid configuration.
     */
    public static Document read(final String json)
    {
        final Document document;
        try
        {
            final JsonNode tree = MAPPER.readTree(json);
            document = MAPPER.treeToValue(upgrade(tree), Document.class);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("not a valid snapshot document: " + ex.getOriginalMessage(), ex);
        }
        if (!FORMAT.equals(document.format()) || document.version() != VERSION)
        {
            throw new IllegalArgumentException("snapshot document has format " + document.format() + " version " +
                document.version() + ", expected " + FORMAT + " version " + VERSION);
        }
        if (document.config() == null || document.snapshot() == null)
        {
            throw new IllegalArgumentException("snapshot document lacks its config or snapshot");
        }
        return document;
    }

    /**
     * Fill in what a version 1 document cannot hold, and the {@code maxLocalPauseNs} setting that documents
     * of either version written before it existed lack; any other document is left to the checks.
     */
    private static JsonNode upgrade(final JsonNode tree)
    {
        if (tree instanceof ObjectNode && FORMAT.equals(tree.path("format").asText()) &&
            tree.get("config") instanceof ObjectNode && !tree.get("config").has("maxLocalPauseNs"))
        {
            ((ObjectNode)tree.get("config")).put("maxLocalPauseNs", RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS);
        }
        if (tree instanceof ObjectNode && FORMAT.equals(tree.path("format").asText()) &&
            tree.path("version").isInt() && tree.path("version").asInt() == VERSION_1)
        {
            final ObjectNode document = (ObjectNode)tree;
            if (document.get("config") instanceof ObjectNode)
            {
                final ObjectNode config = (ObjectNode)document.get("config");
                config.put("localPauseAwareness", true);
                config.put("localPauseMinNs", RttTrackerConfig.DEFAULT_LOCAL_PAUSE_MIN_NS);
            }
            if (document.path("snapshot").get("counters") instanceof ObjectNode)
            {
                final ObjectNode counters = (ObjectNode)document.path("snapshot").get("counters");
                counters.put("evictedSites", 0L);
                counters.put("evictedEdges", 0L);
                counters.put("evictedReports", 0L);
            }
            document.put("version", VERSION);
        }
        return tree;
    }

    /**
     * Rebuild an in-memory tracker from a document: its configuration, then
     * {@link RttTracker#importSnapshot}.
     *
     * @param document the document.
     * @return the tracker; every site "never seen", as after a restart.
     */
    public static RttTracker toTracker(final Document document)
    {
        final RttTracker tracker = document.config().toBuilder().build();
        tracker.importSnapshot(document.snapshot());
        return tracker;
    }

    /**
     * Rebuild a tracker file from a document: create the file with the document's configuration, then
     * import the snapshot into it.
     *
     * @param document the document.
     * @param file     absent or empty: an existing file is never overwritten.
     * @return the open file; close it to let another writer open it.
     */
    public static TrackerFile toFile(final Document document, final Path file)
    {
        final TrackerFile trackerFile = TrackerFile.create(file, document.config());
        try
        {
            trackerFile.tracker().importSnapshot(document.snapshot());
            return trackerFile;
        }
        catch (final RuntimeException ex)
        {
            trackerFile.close();
            throw ex;
        }
    }

    static ObjectMapper mapper()
    {
        return MAPPER;
    }
}
