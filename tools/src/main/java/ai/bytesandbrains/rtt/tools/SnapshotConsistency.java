package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.HeartbeatHistory;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.util.HashSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules a snapshot document must keep to be imported as it is, so that an import never changes
 * what the document says. {@link RttTracker#importSnapshot} stores an EMA's value and count and a
 * site's history; everything else in the document is derived from those (an EMA is warm after
 * {@value EmaWord#WARM_SAMPLES} samples; a history's length and mean are those of its values), and it
 * clamps or merges what does not fit. {@link #require} refuses, naming the entry, every document where
 * a derived field contradicts its data, an entry is repeated (the last would silently win), a value
 * would be rounded or clamped, or a table would overflow its capacity. {@link #settle} makes a snapshot
 * read from a live tracker obey the same rules, since its parts are read at slightly different instants.
 *
 * <p>Pure functions; thread-safe.
 */
final class SnapshotConsistency
{
    private SnapshotConsistency()
    {
    }

    /**
     * @param config   the configuration the snapshot is to be imported under.
     * @param snapshot the snapshot.
     * @throws IllegalArgumentException naming the first entry that breaks a rule.
     */
    static void require(final RttTrackerConfig config, final RttTrackerSnapshot snapshot)
    {
        requireFits("sites", snapshot.sites().size(), "siteCapacity", config.siteCapacity());
        requireFits("edges", snapshot.edges().size(), "edgeCapacity", config.edgeCapacity());
        requireFits("chainPriors", snapshot.chainPriors().size(), "chainCapacity", config.chainCapacity());
        requireFits("reported", snapshot.reported().size(), "reportedCapacity", config.reportedCapacity());
        requireUnique("sites", snapshot.sites(), RttTrackerSnapshot.Site::site);
        requireUnique("edges", snapshot.edges(), e -> List.of(e.site(), e.chainId(), e.hopIndex()));
        requireUnique("chainPriors", snapshot.chainPriors(), RttTrackerSnapshot.ChainPrior::chainId);
        requireUnique("reported", snapshot.reported(), r -> List.of(r.fromSite(), r.nextHop(), r.chainId()));
        for (final RttTrackerSnapshot.Site site : snapshot.sites())
        {
            final String where = "site " + site.site();
            requireEma(where, site.ema());
            requireHistory(where, site, config.historyCapacity());
            if (site.name().getBytes(StandardCharsets.UTF_8).length > RttTracker.MAX_NAME_BYTES)
            {
                throw new IllegalArgumentException(where + ": name longer than " + RttTracker.MAX_NAME_BYTES +
                    " UTF-8 bytes, which no tracker stores");
            }
        }
        for (final RttTrackerSnapshot.Edge edge : snapshot.edges())
        {
            requireEma("edge " + edge.site() + "/" + edge.chainId() + "/" + edge.hopIndex(), edge.ema());
        }
        for (final RttTrackerSnapshot.ChainPrior chain : snapshot.chainPriors())
        {
            requireEma("chain prior " + chain.chainId(), chain.ema());
        }
        for (final RttTrackerSnapshot.Reported report : snapshot.reported())
        {
            requireEma("report " + report.fromSite() + "/" + report.nextHop() + "/" + report.chainId(), report.ema());
        }
        requireEma("global prior", snapshot.globalPrior());
    }

    /**
     * Make the derived fields agree with the data: a snapshot of a live tracker reads an EMA's count
     * before its word (so the count may lag a warm word) and a history's length and mean before its
     * values. The count is raised to the samples the word proves ({@value EmaWord#WARM_SAMPLES} for a
     * warm one); a history's length and mean become those of its values. A quiescent snapshot is
     * returned unchanged.
     *
     * @param snapshot a snapshot.
     * @return the snapshot obeying {@link #require}'s rules on derived fields.
     */
    static RttTrackerSnapshot settle(final RttTrackerSnapshot snapshot)
    {
        return new RttTrackerSnapshot(
            snapshot.sites().stream().map(s -> new RttTrackerSnapshot.Site(s.site(), settle(s.ema()), s.seen(),
                s.lastSeenNs(), s.lastPhiState(), s.historyNs().size(), meanNs(s.historyNs()), s.historyNs(), s.name()))
                .toList(),
            snapshot.edges().stream().map(e -> new RttTrackerSnapshot.Edge(
                e.site(), e.chainId(), e.hopIndex(), settle(e.ema()))).toList(),
            snapshot.chainPriors().stream().map(c -> new RttTrackerSnapshot.ChainPrior(
                c.chainId(), settle(c.ema()))).toList(),
            snapshot.reported().stream().map(r -> new RttTrackerSnapshot.Reported(
                r.fromSite(), r.nextHop(), r.chainId(), settle(r.ema()))).toList(),
            settle(snapshot.globalPrior()),
            snapshot.counters());
    }

    private static RttTrackerSnapshot.Ema settle(final RttTrackerSnapshot.Ema ema)
    {
        return ema.warm() && ema.sampleCount() < EmaWord.WARM_SAMPLES ?
            new RttTrackerSnapshot.Ema(ema.srttNs(), ema.rttvarNs(), EmaWord.WARM_SAMPLES, true) : ema;
    }

    /** The mean the tracker computes from its exact running sum, for values that fit it. */
    private static double meanNs(final List<Long> historyNs)
    {
        long sum = 0;
        for (final long value : historyNs)
        {
            sum += value;
        }
        return historyNs.isEmpty() || sum <= 0 ? 0.0 : (double)sum / historyNs.size();
    }

    private static void requireFits(final String what, final int count, final String capacityName, final int capacity)
    {
        if (count > capacity)
        {
            throw new IllegalArgumentException(
                "snapshot holds " + count + " " + what + ", more than " + capacityName + " " + capacity);
        }
    }

    private static <T> void requireUnique(final String what, final List<T> entries, final Function<T, Object> key)
    {
        final Set<Object> seen = new HashSet<>();
        for (final T entry : entries)
        {
            if (!seen.add(key.apply(entry)))
            {
                throw new IllegalArgumentException("snapshot lists " + what + " entry " + key.apply(entry) +
                    " twice; each must appear once");
            }
        }
    }

    private static void requireEma(final String where, final RttTrackerSnapshot.Ema ema)
    {
        requireEmaValue(where, "srttNs", ema.srttNs());
        requireEmaValue(where, "rttvarNs", ema.rttvarNs());
        if (ema.sampleCount() < 0)
        {
            throw new IllegalArgumentException(where + ": sampleCount " + ema.sampleCount() + " is negative");
        }
        if (ema.warm() != (ema.sampleCount() >= EmaWord.WARM_SAMPLES))
        {
            throw new IllegalArgumentException(where + ": warm " + ema.warm() + " contradicts sampleCount " +
                ema.sampleCount() + " (warm from " + EmaWord.WARM_SAMPLES + " samples on)");
        }
    }

    private static void requireEmaValue(final String where, final String name, final long valueNs)
    {
        if (valueNs < 0 || valueNs > EmaWord.MAX_VALUE_NS || EmaWord.representable(valueNs) != valueNs)
        {
            throw new IllegalArgumentException(where + ": " + name + " " + valueNs + " cannot be held exactly by an" +
                " EMA (0.." + EmaWord.MAX_VALUE_NS + ", " + EmaWord.SIGNIFICANT_BITS + " significant bits)");
        }
    }

    private static void requireHistory(final String where, final RttTrackerSnapshot.Site site, final int capacity)
    {
        final List<Long> history = site.historyNs();
        if (history.size() > capacity)
        {
            throw new IllegalArgumentException(where + ": history holds " + history.size() +
                " values, more than historyCapacity " + capacity);
        }
        final long max = HeartbeatHistory.maxValueNs(capacity);
        for (final long value : history)
        {
            if (value < 0 || value > max)
            {
                throw new IllegalArgumentException(where + ": history value " + value + " is outside 0.." + max +
                    ", what a history of capacity " + capacity + " holds");
            }
        }
        if (site.historyLength() != history.size())
        {
            throw new IllegalArgumentException(where + ": historyLength " + site.historyLength() +
                " contradicts the " + history.size() + " values of historyNs");
        }
        final double mean = meanNs(history);
        if (Double.compare(site.historyMeanNs(), mean) != 0)
        {
            throw new IllegalArgumentException(where + ": historyMeanNs " + site.historyMeanNs() +
                " contradicts the mean of historyNs, " + mean);
        }
    }
}
