package ai.bytesandbrains.rtt.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 */
public record JmhResult(
    String operation, String impl, int sites, int threads, double score, double error, String unit, double bytesPerOp,
    String otherParams)
{
    /**
     * @param file JMH JSON output.
     * @return every primary score and every group member's score.
     * @throws IOException when the file cannot be read.
     */
    @SuppressWarnings("unchecked")
    public static List<JmhResult> read(final Path file) throws IOException
    {
        final List<Object> runs = (List<Object>)Json.parse(Files.readString(file));
        final List<JmhResult> results = new ArrayList<>();
        for (final Object o : runs)
        {
            final Map<String, Object> run = (Map<String, Object>)o;
            final String benchmark = (String)run.get("benchmark");
            final String operation = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            final Map<String, Object> params = (Map<String, Object>)run.getOrDefault("params", Map.of());
            final String impl = (String)params.getOrDefault("impl", "-");
            final int sites = Integer.parseInt((String)params.getOrDefault("sites", "0"));
            final StringBuilder other = new StringBuilder();
            for (final Map.Entry<String, Object> p : params.entrySet())
            {
                if (!p.getKey().equals("impl") && !p.getKey().equals("sites"))
                {
                    other.append(other.length() == 0 ? "" : ",").append(p.getKey()).append('=').append(p.getValue());
                }
            }
            final int threads = ((Double)run.get("threads")).intValue();
            final Map<String, Object> primary = (Map<String, Object>)run.get("primaryMetric");
            final Map<String, Object> secondary = (Map<String, Object>)run.getOrDefault("secondaryMetrics", Map.of());
            final double bytes = secondary.containsKey("gc.alloc.rate.norm") ?
                number(((Map<String, Object>)secondary.get("gc.alloc.rate.norm")).get("score")) : Double.NaN;
            results.add(new JmhResult(operation, impl, sites, threads, number(primary.get("score")),
                number(primary.get("scoreError")), (String)primary.get("scoreUnit"), bytes, other.toString()));
            for (final Map.Entry<String, Object> e : secondary.entrySet())
            {
                final Map<String, Object> metric = (Map<String, Object>)e.getValue();
                if (!e.getKey().startsWith("gc.") && primary.get("scoreUnit").equals(metric.get("scoreUnit")))
                {
                    results.add(new JmhResult(operation + ":" + e.getKey(), impl, sites, 1,
                        number(metric.get("score")), number(metric.get("scoreError")), (String)metric.get("scoreUnit"),
                        Double.NaN, other.toString()));
                }
            }
        }
        return results;
    }

    private static double number(final Object value)
    {
        if (value instanceof Double d)
        {
            return d;
        }
        try
        {
            return Double.parseDouble(String.valueOf(value));
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
