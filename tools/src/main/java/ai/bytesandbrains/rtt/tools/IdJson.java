package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.file.SiteRow;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;

/**
 * 64-bit ids (sites, chains) as JSON strings. Ids span the whole {@code long} range, and tools that
 * hold JSON numbers as doubles (jq, JavaScript) round them: {@code -8685848042844102797} comes back as
 * {@code -8685848042844103000}. Ids are written as decimal strings and read from a string or an
 * integer, so that documents written before ids became strings still read. Only the id fields change:
 * every other number keeps Jackson's strict handling (no string, no fraction).
 *
 * <p>The records live in core, which has no JSON dependency, so the annotations come in as mix-ins.
 */
final class IdJson
{
    private IdJson()
    {
    }

    /**
     * @return a module that writes and reads the id fields of snapshots and {@link SiteRow}s as above.
     */
    static SimpleModule module()
    {
        return new SimpleModule("bb-rtt-ids")
            .setMixInAnnotation(RttTrackerSnapshot.Site.class, SiteIdMixin.class)
            .setMixInAnnotation(SiteRow.class, SiteIdMixin.class)
            .setMixInAnnotation(RttTrackerSnapshot.Edge.class, EdgeIdsMixin.class)
            .setMixInAnnotation(RttTrackerSnapshot.ChainPrior.class, ChainIdMixin.class)
            .setMixInAnnotation(RttTrackerSnapshot.Reported.class, ReportedIdsMixin.class);
    }

    /** Reads a signed 64-bit id from a decimal string or an integer; anything else is refused. */
    static final class IdDeserializer extends StdDeserializer<Long>
    {
        private static final long serialVersionUID = 1L;

        IdDeserializer()
        {
            super(Long.class);
        }

        @Override
        public Long deserialize(final JsonParser parser, final DeserializationContext context) throws IOException
        {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT)
            {
                return parser.getLongValue(); // refuses a value outside the long range
            }
            if (parser.currentToken() == JsonToken.VALUE_STRING)
            {
                final String text = parser.getText();
                try
                {
                    return Long.parseLong(text);
                }
                catch (final NumberFormatException ex)
                {
                    return (Long)context.handleWeirdStringValue(Long.class, text,
                        "an id must be a signed 64-bit decimal integer");
                }
            }
            return (Long)context.handleUnexpectedToken(Long.class, parser);
        }
    }

    private abstract static class SiteIdMixin
    {
        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long site();
    }

    private abstract static class ChainIdMixin
    {
        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long chainId();
    }

    private abstract static class EdgeIdsMixin
    {
        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long site();

        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long chainId();
    }

    private abstract static class ReportedIdsMixin
    {
        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long fromSite();

        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long nextHop();

        @JsonSerialize(using = ToStringSerializer.class)
        @JsonDeserialize(using = IdDeserializer.class)
        abstract long chainId();
    }
}
