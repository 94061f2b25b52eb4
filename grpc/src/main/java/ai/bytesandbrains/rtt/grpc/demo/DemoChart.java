package ai.bytesandbrains.rtt.grpc.demo;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * One PNG of a demo run: the deadline each channel gave its calls, and its failed calls, per time bucket,
 * with the run's events as vertical markers: blue for the script (slow-down, hang, return, labelled on the
 * top panel), red for the adaptive channel's ejections and recoveries (labelled on the bottom panel).
 */
final class DemoChart
{
    /** A labelled moment of the run. */
    record Marker(double seconds, String label, boolean ejection)
    {
    }

    private static final Color ADAPTIVE = new Color(0x2ca02c);
    private static final Color STATIC = new Color(0x7f7f7f);

    private DemoChart()
    {
    }

    static void write(
        final File file, final CallLog adaptive, final CallLog fixed, final long bucketNs, final long runNs,
        final List<Marker> markers) throws IOException
    {
        final double[][] a = adaptive.buckets(bucketNs, runNs);
        final double[][] s = fixed.buckets(bucketNs, runNs);
        final XYSeries adaptiveDeadline = new XYSeries("adaptive deadline (ms)");
        final XYSeries staticDeadline = new XYSeries("static deadline (ms)");
        final XYSeries adaptiveFailed = new XYSeries("adaptive: failed calls");
        final XYSeries staticFailed = new XYSeries("static: failed calls");
        for (int i = 0; i < a.length; i++)
        {
            final double t = (i + 0.5) * bucketNs / 1e9;
            if (!Double.isNaN(a[i][0]))
            {
                adaptiveDeadline.add(t, a[i][0]);
            }
            if (!Double.isNaN(s[i][0]))
            {
                staticDeadline.add(t, s[i][0]);
            }
            adaptiveFailed.add(t, a[i][1]);
            staticFailed.add(t, s[i][1]);
        }
        final NumberAxis time = new NumberAxis("run time (s)");
        time.setRange(0, runNs / 1e9);
        final CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(10);
        combined.add(panel(new XYSeriesCollection(adaptiveDeadline), staticDeadline, "deadline (ms)", markers, false), 1);
        combined.add(panel(new XYSeriesCollection(adaptiveFailed), staticFailed,
            "failed calls per " + bucketNs / 1_000_000 + " ms", markers, true), 1);
        final JFreeChart chart = new JFreeChart("gRPC on loopback: adaptive (bb-rtt) vs static deadline",
            JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file, chart, 1100, 640);
    }

    private static XYPlot panel(
        final XYSeriesCollection data, final XYSeries staticSeries, final String axis, final List<Marker> markers,
        final boolean labelEjections)
    {
        data.addSeries(staticSeries);
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, ADAPTIVE);
        renderer.setSeriesPaint(1, STATIC);
        renderer.setSeriesStroke(0, new BasicStroke(1.6f));
        renderer.setSeriesStroke(1, new BasicStroke(1.6f));
        final NumberAxis range = new NumberAxis(axis);
        range.setAutoRangeIncludesZero(true);
        final XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        for (final Marker marker : markers)
        {
            final ValueMarker line = new ValueMarker(marker.seconds(), marker.ejection() ? new Color(0xd62728)
                : new Color(0x1f77b4), new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                new float[]{3f, 3f}, 0f));
            if (marker.ejection() == labelEjections)
            {
                line.setLabel(marker.label());
                line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                line.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            }
            plot.addDomainMarker(line, Layer.BACKGROUND);
        }
        return plot;
    }
}
