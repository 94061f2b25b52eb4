package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.nio.file.Path;

/**
 * The whole state of a tracker as JSON, for bug reports, migration and back. The document is
 * <pre>
 * { "format": "bb-rtt-snapshot", "version": 4,
 *   "config":   { siteCapacity, edgeCapacity, ..., emaShifts: {alphaShift, betaShift}, ... },
 *   "snapshot": { sites: [...], edges: [...], chainPriors: [...], reported: [...], globalPrior, counters } }
 * </pre>
 * with the fields of {@link RttTrackerConfig} and {@link RttTrackerSnapshot}; times in nanoseconds;
 * site and chain ids as decimal strings ({@link IdJson}).
 *
 * <p>Reading is strict, so that what is imported is exactly what the document says: malformed JSON,
 * trailing content, a repeated key, an unknown or missing field, a null, a string or fraction where an
 * integer belongs ({@code "8"}, {@code 8.9}), a number where a boolean or state belongs, another format
 * or version, and an invalid configuration are refused by Jackson's own checks; a snapshot whose
 * entries repeat or whose derived fields contradict its data by {@link SnapshotConsistency}.
 *
 * <p>Versions: 2 added the local-pause settings to the configuration and the eviction counters to the
 * counters; 3 writes ids as strings; 4 adds each site's {@code "name"} ({@code ""} for none). Versions 1
 * to 3 are still read: a version 1 document gets local-pause awareness at its defaults and eviction
 * counters of 0, which is what the tracker that wrote it had; sites of a document before version 4 get no
 * name, which is what their trackers had; ids are read from strings or numbers in every version.
 * A document without {@code maxLocalPauseNs} (written before that setting existed) gets its default.
 */
public final class SnapshotJson
{
    /** Value of the "format" field. */
    public static final String FORMAT = "bb-rtt-snapshot";
    /** Version of the document layout: 4, site names. */
    public static final int VERSION = 4;
    /** Ids as strings, sites without names. Still read. */
    public static final int VERSION_3 = 3;
    /** Local-pause settings and eviction counters added; ids as numbers. Still read. */
    public static final int VERSION_2 = 2;
    /** The first version, still read. */
    public static final int VERSION_1 = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .addModule(IdJson.module())
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // No coercion from one JSON shape to another ("8" or 8.9 to an int, 1 to a boolean), except an
        // integer where a double belongs.
        .withCoercionConfigDefaults(c -> c
            .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
        .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
        .build();

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
         * @param snapshot the state, as read from a tracker (its derived fields are
         *                 {@linkplain SnapshotConsistency#settle settled}).
         * @return a document of the current format.
         */
        public static Document of(final RttTrackerConfig config, final RttTrackerSnapshot snapshot)
        {
            return new Document(FORMAT, VERSION, config, SnapshotConsistency.settle(snapshot));
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
     * @param json a document written by {@link #write}, of this version or an older one.
     * @return the document, of the current version.
     * @throws IllegalArgumentException with a one-line reason when the JSON is malformed or not strictly
     *                                  of the document's shape, of another format or version, holds an
     *                                  invalid configuration or an inconsistent snapshot.
     */
    public static Document read(final String json)
    {
        final Document document;
        try
        {
            final JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject())
            {
                throw new IllegalArgumentException("not a snapshot document: expected a JSON object, found " +
                    (tree == null || tree.isMissingNode() ? "no content" : tree.getNodeType().name().toLowerCase()));
            }
            requireKnownVersion(tree);
            document = MAPPER.treeToValue(upgrade((ObjectNode)tree), Document.class);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("not a valid snapshot document: " + describe(ex), ex);
        }
        SnapshotConsistency.require(document.config(), document.snapshot());
        return document;
    }

    private static void requireKnownVersion(final JsonNode tree)
    {
        final JsonNode format = tree.get("format");
        final JsonNode version = tree.get("version");
        if (format == null || !format.isTextual() || !FORMAT.equals(format.textValue()) ||
            version == null || !version.isInt() || version.intValue() < VERSION_1 || version.intValue() > VERSION)
        {
            throw new IllegalArgumentException("snapshot document has format " + format + " version " + version +
                ", expected \"" + FORMAT + "\" version " + VERSION_1 + ".." + VERSION);
        }
    }

    /** Bring an older document to the current version; ids need nothing, since they read from numbers too. */
    private static JsonNode upgrade(final ObjectNode document)
    {
        if (document.get("config") instanceof ObjectNode config && !config.has("maxLocalPauseNs"))
        {
            config.put("maxLocalPauseNs", RttTrackerConfig.DEFAULT_MAX_LOCAL_PAUSE_NS);
        }
        if (document.get("version").intValue() < VERSION && document.path("snapshot").get("sites") instanceof ArrayNode sites)
        {
            for (final JsonNode site : sites)
            {
                if (site instanceof ObjectNode named && !named.has("name"))
                {
                    named.put("name", ""); // a tracker before names had none
                }
            }
        }
        if (document.get("config") instanceof ObjectNode config && !config.has("budgetMultiplier"))
        {
            // Written before K, the φ mode and the acceptable pause were configurable: the reference's values.
            config.put("budgetMultiplier", RttTrackerConfig.DEFAULT_BUDGET_MULTIPLIER);
            config.put("idleAwarePhi", false);
            config.put("acceptablePauseNs", 0L);
        }
        if (document.get("config") instanceof ObjectNode config && !config.has("priorStripes"))
        {
            // Written before the priors were striped: the default, which changes no number a snapshot holds.
            config.put("priorStripes", RttTrackerConfig.DEFAULT_PRIOR_STRIPES);
        }
        if (document.get("version").intValue() == VERSION_1)
        {
            if (document.get("config") instanceof ObjectNode config)
            {
                config.put("localPauseAwareness", true);
                config.put("localPauseMinNs", RttTrackerConfig.DEFAULT_LOCAL_PAUSE_MIN_NS);
            }
            if (document.path("snapshot").get("counters") instanceof ObjectNode counters)
            {
                counters.put("evictedSites", 0L);
                counters.put("evictedEdges", 0L);
                counters.put("evictedReports", 0L);
            }
        }
        document.put("version", VERSION);
        return document;
    }

    /** Jackson's reason on one line, with where in the document it applies. */
    static String describe(final JsonProcessingException ex)
    {
        // Jackson's hint "(but could if coercion was enabled ...)" is for programmers, not for this document.
        final String reason = String.valueOf(ex.getOriginalMessage()).lines().findFirst().orElse("")
            .replaceAll("\\s*\\(but [^)]*\\)", "").trim();
        if (ex instanceof JsonMappingException mapping && !mapping.getPath().isEmpty())
        {
            final StringBuilder path = new StringBuilder();
            for (final JsonMappingException.Reference reference : mapping.getPath())
            {
                if (reference.getFieldName() != null)
                {
                    path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                }
                else if (reference.getIndex() >= 0)
                {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return "at " + path + ": " + reason;
        }
        return ex.getLocation() == null ? reason :
            reason + " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
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
     * Rebuild a tracker file from a document, all or nothing: see {@link NewTrackerFile#write}.
     *
     * @param document the document.
     * @param file     absent: an existing file is never overwritten.
     * @return sites imported.
     */
    public static long toFile(final Document document, final Path file)
    {
        return NewTrackerFile.write(file, document.config(), document.snapshot());
    }

    static ObjectMapper mapper()
    {
        return MAPPER;
    }
}
