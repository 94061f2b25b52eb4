package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.SiteRow;
import ai.bytesandbrains.rtt.file.TrackerFileSample;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How RttStat prints one reading: a human table, or CSV or JSON for scripts. Times are microseconds in
 * the table, nanoseconds in CSV and JSON.
 */
public enum StatFormat
{
    /** Aligned columns, for a terminal. */
    TABLE
    {
        @Override
        String render(final Path file, final RttTrackerConfig config, final TrackerFileSample sample, final List<SiteRow> sites)
        {
            final StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%s  writer pid %d (%s), opened %s, %d opens%n", file,
                sample.owner().pid(), sample.writerAlive() ? "alive" : "not running",
                Instant.ofEpochMilli(sample.owner().openEpochMs()), sample.owner().openCount()));
            out.append(String.format(Locale.ROOT, "sites %d/%d  edges %d/%d  chains %d/%d  reports %d/%d  " +
                "suspect φ > %s  down φ > %s  prior stripes %d%n%n",
                sample.sites().size(), config.siteCapacity(), sample.edgeCount(), config.edgeCapacity(),
                sample.chainPriors().size(), config.chainCapacity(), sample.reportCount(), config.reportedCapacity(),
                config.suspectPhi(), config.downPhi(), config.priorStripes()));
            out.append(String.format(Locale.ROOT, "%20s %12s %12s %12s %10s %9s %-8s %7s  %s%n",
                "SITE", "SRTT_US", "RTTVAR_US", "BUDGET_US", "SAMPLES", "PHI", "STATE", "HISTORY", "NAME"));
            for (final SiteRow row : sites)
            {
                // The name last: it varies in length, so the columns before it stay aligned.
                out.append(String.format(Locale.ROOT, "%20d %12.1f %12.1f %12.1f %10d %9s %-8s %7d  %s%n",
                    row.site(), micros(row.srttNs()), micros(row.rttvarNs()), micros(row.budgetNs()), row.sampleCount(),
                    row.seen() ? String.format(Locale.ROOT, "%.2f", row.phi()) : "-",
                    row.lastReportedState(), row.historyLength(), row.name().isEmpty() ? "-" : row.name()));
            }
            out.append(String.format(Locale.ROOT, "%n%20s %12s %12s %12s %10s%n", "CHAIN", "SRTT_US", "RTTVAR_US",
                "BUDGET_US", "SAMPLES"));
            for (final RttTrackerSnapshot.ChainPrior chain : sample.chainPriors())
            {
                out.append(emaLine(Long.toString(chain.chainId()), chain.ema(), config));
            }
            out.append(emaLine("global", sample.globalPrior(), config));
            final RttTrackerSnapshot.Counters c = sample.counters();
            out.append(String.format(Locale.ROOT, "%ncounters: rejected %d  overflow sites %d edges %d chains %d " +
                "reports %d  non-quiescent φ reads %d  evicted sites %d edges %d reports %d  dropped names %d%n",
                c.rejectedSamples(), c.siteOverflows(), c.edgeOverflows(), c.chainOverflows(), c.reportedOverflows(),
                c.nonQuiescentPhiReads(), c.evictedSites(), c.evictedEdges(), c.evictedReports(), sample.droppedNames()));
            return out.toString();
        }

        private String emaLine(final String name, final RttTrackerSnapshot.Ema ema, final RttTrackerConfig config)
        {
            return String.format(Locale.ROOT, "%20s %12.1f %12.1f %12.1f %10d%s%n", name, micros(ema.srttNs()),
                micros(ema.rttvarNs()), micros(ema.budgetNs(config.budgetMultiplier())), ema.sampleCount(), ema.warm() ? "" : "  (cold)");
        }
    },

    /**
     * One row per entry: {@code kind} is site, chain, global or counter; for a counter, {@code id} is its
     * name and {@code samples} its value.
     */
    CSV
    {
        @Override
        String render(final Path file, final RttTrackerConfig config, final TrackerFileSample sample, final List<SiteRow> sites)
        {
            final StringBuilder out = new StringBuilder(
                "kind,id,srtt_ns,rttvar_ns,budget_ns,samples,warm,seen,phi,state,verdict,history_length,name\n");
            for (final SiteRow r : sites)
            {
                out.append(String.format(Locale.ROOT, "site,%d,%d,%d,%d,%d,%b,%b,%s,%s,%s,%d,%s%n", r.site(), r.srttNs(),
                    r.rttvarNs(), r.budgetNs(), r.sampleCount(), r.warm(), r.seen(), Double.toString(r.phi()),
                    r.lastReportedState(), r.verdict(), r.historyLength(), csvField(r.name())));
            }
            for (final RttTrackerSnapshot.ChainPrior chain : sample.chainPriors())
            {
                out.append(emaRow("chain", Long.toString(chain.chainId()), chain.ema(), config));
            }
            out.append(emaRow("global", "0", sample.globalPrior(), config));
            final RttTrackerSnapshot.Counters c = sample.counters();
            out.append(counterRow("rejectedSamples", c.rejectedSamples()))
                .append(counterRow("siteOverflows", c.siteOverflows()))
                .append(counterRow("edgeOverflows", c.edgeOverflows()))
                .append(counterRow("chainOverflows", c.chainOverflows()))
                .append(counterRow("reportedOverflows", c.reportedOverflows()))
                .append(counterRow("nonQuiescentPhiReads", c.nonQuiescentPhiReads()))
                .append(counterRow("evictedSites", c.evictedSites()))
                .append(counterRow("evictedEdges", c.evictedEdges()))
                .append(counterRow("evictedReports", c.evictedReports()));
            return out.toString();
        }

        private String emaRow(
            final String kind, final String id, final RttTrackerSnapshot.Ema ema, final RttTrackerConfig config)
        {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%b,,,,,,%n", kind, id, ema.srttNs(), ema.rttvarNs(),
                ema.budgetNs(config.budgetMultiplier()), ema.sampleCount(), ema.warm());
        }

        private String counterRow(final String name, final long value)
        {
            return String.format(Locale.ROOT, "counter,%s,,,,%d,,,,,,,%n", name, value);
        }

        /** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
        private String csvField(final String value)
        {
            return value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r') ?
                '"' + value.replace("\"", "\"\"") + '"' : value;
        }
    },

    /** One JSON object: file, writer, configuration, sites, chain priors, global prior, counters. */
    JSON
    {
        @Override
        String render(final Path file, final RttTrackerConfig config, final TrackerFileSample sample, final List<SiteRow> sites)
        {
            final ObjectNode root = SnapshotJson.mapper().createObjectNode();
            root.put("file", file.toString());
            root.put("writerPid", sample.owner().pid());
            root.put("writerAlive", sample.writerAlive());
            root.put("writerNowNs", sample.writerNowNs());
            root.set("config", SnapshotJson.mapper().valueToTree(config));
            final ArrayNode siteArray = root.putArray("sites");
            for (final SiteRow r : sites)
            {
                siteArray.add(SnapshotJson.mapper().valueToTree(r));
            }
            root.set("chainPriors", SnapshotJson.mapper().valueToTree(sample.chainPriors()));
            root.set("globalPrior", SnapshotJson.mapper().valueToTree(sample.globalPrior()));
            root.put("edgeCount", sample.edgeCount());
            root.put("reportCount", sample.reportCount());
            root.set("counters", SnapshotJson.mapper().valueToTree(sample.counters()));
            try
            {
                return SnapshotJson.mapper().writeValueAsString(root) + System.lineSeparator();
            }
            catch (final JsonProcessingException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    };

    abstract String render(Path file, RttTrackerConfig config, TrackerFileSample sample, List<SiteRow> sites);

    private static double micros(final long nanos)
    {
        return nanos / 1_000.0;
    }
}
