package ai.bytesandbrains.rtt.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One score from JMH's JSON: a benchmark's primary metric, or one member of a {@code @Group}.
 *
 * @param operation  {@code Class.method}, or {@code Class.group:member} for a group member.
 * @param impl       the {@code impl} parameter, or {@code "-"}.
 * @param sites      the {@code sites} parameter, or 0.
 * @param threads    threads of the run.
 * @param score      the score.
 * @param error      its 99.9% error (NaN when JMH gives none).
 * @param unit       the score's unit.
 * @param bytesPerOp {@code gc.alloc.rate.norm}, or NaN without {@code -prof gc}.
 * @param otherParams the other parameters as {@code name=value} joined by commas, or empty.
 * @param mode        JMH's mode: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}.
 * @param percentiles JMH's {@code scorePercentiles}, percentile (50.0, 99.9, 100.0 ...) to value; in
 *                    {@code sample} mode these are latencies per call, otherwise percentiles of iteration scores.
 */
public record JmhResult(
    String operation, String impl, int sites, int threads, double score, double error, String unit, double bytesPerOp,
    String otherParams, String mode, NavigableMap<Double, Double> percentiles)
{
    /** JMH's mode name for {@code Mode.SampleTime}. */
    public static final String SAMPLE_MODE = "sample";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sample mode's per-percentile secondaries ({@code p0.99}, {@code estimate:p0.999}): already in percentiles. */
    private static final Pattern PERCENTILE_METRIC = Pattern.compile("(^|:)p\\d+\\.\\d+$");

    public JmhResult
    {
        percentiles = Collections.unmodifiableNavigableMap(new TreeMap<>(percentiles));
    }

    /**
     * @param file JMH JSON output ({@code -rf json}).
     * @return every primary score and every group member's score, in file order.
     * @throws IOException when the file cannot be read or is not JSON.
     */
    public static List<JmhResult> read(final Path file) throws IOException
    {
        final List<JmhResult> results = new ArrayList<>();
        for (final JsonNode run : JSON.readTree(file.toFile()))
        {
            final String benchmark = run.get("benchmark").textValue();
            final String operation = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            final JsonNode params = run.path("params");
            final String impl = params.path("impl").asText("-");
            final int sites = Integer.parseInt(params.path("sites").asText("0"));
            final StringBuilder other = new StringBuilder();
            for (final Map.Entry<String, JsonNode> p : params.properties())
            {
                if (!p.getKey().equals("impl") && !p.getKey().equals("sites"))
                {
                    other.append(other.length() == 0 ? "" : ",").append(p.getKey()).append('=').append(p.getValue().asText());
                }
            }
            final int threads = run.get("threads").asInt();
            final String mode = run.path("mode").asText("");
            final JsonNode primary = run.get("primaryMetric");
            final String unit = primary.get("scoreUnit").textValue();
            final JsonNode secondary = run.path("secondaryMetrics");
            final double bytes = number(secondary.path("gc.alloc.rate.norm").path("score"));
            results.add(new JmhResult(operation, impl, sites, threads, number(primary.get("score")),
                number(primary.get("scoreError")), unit, bytes, other.toString(), mode, percentiles(primary)));
            for (final Map.Entry<String, JsonNode> e : secondary.properties())
            {
                final JsonNode metric = e.getValue();
                // Group members share the primary's unit; gc.* and other profilers' figures do not.
                if (!e.getKey().startsWith("gc.") && !PERCENTILE_METRIC.matcher(e.getKey()).find() &&
                    unit.equals(metric.path("scoreUnit").textValue()))
                {
                    results.add(new JmhResult(operation + ":" + e.getKey(), impl, sites, 1,
                        number(metric.get("score")), number(metric.get("scoreError")), metric.get("scoreUnit").textValue(),
                        Double.NaN, other.toString(), mode, percentiles(metric)));
                }
            }
        }
        return results;
    }

    private static NavigableMap<Double, Double> percentiles(final JsonNode metric)
    {
        final NavigableMap<Double, Double> percentiles = new TreeMap<>();
        for (final Map.Entry<String, JsonNode> p : metric.path("scorePercentiles").properties())
        {
            percentiles.put(Double.parseDouble(p.getKey()), number(p.getValue()));
        }
        return percentiles;
    }

    /**
     * @param percentile as JMH names it: 50.0, 99.0, 99.9, 99.99, 100.0 (the maximum).
     * @return its value, or NaN when JMH did not write it.
     */
    public double percentile(final double percentile)
    {
        final Double value = percentiles.get(percentile);
        return value == null ? Double.NaN : value;
    }

    /** A score: JMH writes a number, or a string such as "NaN" when it has none. */
    private static double number(final JsonNode value)
    {
        if (value == null || value.isMissingNode())
        {
            return Double.NaN;
        }
        if (value.isNumber())
        {
            return value.doubleValue();
        }
        try
        {
            return Double.parseDouble(value.asText());
        }
        catch (final NumberFormatException e)
        {
            return Double.NaN;
        }
    }

    /**
     * @return the row key: the operation, plus the site count when there is one.
     */
    public String rowKey()
    {
        final String key = sites == 0 ? operation : operation + " (" + sites + " sites)";
        return otherParams.isEmpty() ? key : key + " [" + otherParams + "]";
    }
}
