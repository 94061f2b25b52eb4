package ai.bytesandbrains.rtt.samples;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * One PNG: a panel per server with srtt and the deadline budget (left axis, ms), the static timeout for
 * reference, and φ (right axis) with the Suspect and Down thresholds.
 */
final class ChartWriter
{
    private ChartWriter()
    {
    }

    static void write(
        final File file, final List<SeriesRecorder> recorders, final List<String> titles, final double staticTimeoutMs,
        final double runSeconds, final double suspectPhi, final double downPhi) throws IOException
    {
        final NumberAxis time = new NumberAxis("run time (s)");
        time.setRange(0, runSeconds);
        final CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(12);
        for (int i = 0; i < recorders.size(); i++)
        {
            final SeriesRecorder recorder = recorders.get(i);
            final XYSeries staticLine = new XYSeries("static timeout (ms)");
            staticLine.add(0, staticTimeoutMs);
            staticLine.add(runSeconds, staticTimeoutMs);
            final XYSeriesCollection ms = new XYSeriesCollection();
            ms.addSeries(recorder.srttMs);
            ms.addSeries(recorder.budgetMs);
            ms.addSeries(staticLine);
            final NumberAxis msAxis = new NumberAxis(titles.get(i) + " (ms)");
            msAxis.setAutoRangeIncludesZero(true);
            final XYLineAndShapeRenderer msRenderer = new XYLineAndShapeRenderer(true, false);
            msRenderer.setSeriesPaint(0, new Color(0x1f77b4));
            msRenderer.setSeriesPaint(1, new Color(0x2ca02c));
            msRenderer.setSeriesPaint(2, Color.GRAY);
            msRenderer.setSeriesStroke(2, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{6f, 4f}, 0f));
            final XYPlot plot = new XYPlot(ms, null, msAxis, msRenderer);

            final XYSeriesCollection phi = new XYSeriesCollection(recorder.phi);
            final NumberAxis phiAxis = new NumberAxis("φ");
            phiAxis.setRange(0, 42);
            plot.setRangeAxis(1, phiAxis);
            plot.setDataset(1, phi);
            plot.mapDatasetToRangeAxis(1, 1);
            final XYLineAndShapeRenderer phiRenderer = new XYLineAndShapeRenderer(true, false);
            phiRenderer.setSeriesPaint(0, new Color(0xd62728));
            plot.setRenderer(1, phiRenderer);
            for (final double threshold : new double[]{suspectPhi, downPhi})
            {
                final ValueMarker marker = new ValueMarker(threshold, new Color(0xd62728), new BasicStroke(
                    0.7f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{2f, 3f}, 0f));
                plot.addRangeMarker(1, marker, Layer.BACKGROUND);
            }
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            combined.add(plot, 1);
            if (i == 0)
            {
                combined.setFixedLegendItems(plot.getLegendItems());
            }
        }
        final JFreeChart chart = new JFreeChart(
            "Adaptive run: srtt, deadline budget and φ per server", JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file, chart, 1100, 260 * recorders.size() + 80);
    }
}
