package ai.bytesandbrains.rtt.view;

import ai.bytesandbrains.rtt.ema.EmaWord;
import ai.bytesandbrains.rtt.phi.PhiState;

import java.util.List;
import java.util.Optional;

/**
 * An immutable copy of a tracker's whole state, for diagnostics and tests. Taken while other threads
 * run, each EMA is whole (srtt, rttvar and warm state of one state) and its count lags it by at most
 * the observes in flight; different entries are read at different instants. Thread-safe.
 *
 * @param sites       tracked sites, in storage order.
 * @param edges       per-edge EMAs.
 * @param chainPriors chain priors.
 * @param reported    reverse-path reports.
 * @param globalPrior the global prior.
 * @param counters    the tracker's counters.
 */
public record RttTrackerSnapshot(
    List<Site> sites,
    List<Edge> edges,
    List<ChainPrior> chainPriors,
    List<Reported> reported,
    Ema globalPrior,
    Counters counters)
{
    /**
     * Copies the lists. The snapshot is immutable; thread-safe.
     *
     * @param sites       tracked sites, in storage order; copied.
     * @param edges       per-edge EMAs; copied.
     * @param chainPriors chain priors; copied.
     * @param reported    reverse-path reports; copied.
     * @param globalPrior the global prior.
     * @param counters    the tracker's counters.
     */
    public RttTrackerSnapshot
    {
        sites = List.copyOf(sites);
        edges = List.copyOf(edges);
        chainPriors = List.copyOf(chainPriors);
        reported = List.copyOf(reported);
    }

    /**
     * Pure; thread-safe.
     *
     * @param site a site id.
     * @return its entry, if tracked.
     */
    public Optional<Site> site(final long site)
    {
        return sites.stream().filter(s -> s.site() == site).findFirst();
    }

    /**
     * One EMA. Immutable; thread-safe.
     *
     * @param srttNs      smoothed RTT.
     * @param rttvarNs    RTT variation.
     * @param sampleCount exact samples (reported count for reports).
     * @param warm        whether three samples were seen.
     */
    public record Ema(long srttNs, long rttvarNs, long sampleCount, boolean warm)
    {
        /**
         * Pure; thread-safe.
         *
         * @param word        an EMA word.
         * @param sampleCount its count.
         * @return the decoded EMA.
         */
        public static Ema of(final long word, final long sampleCount)
        {
            return new Ema(EmaWord.srttNs(word), EmaWord.rttvarNs(word), sampleCount, EmaWord.isWarm(word));
        }

        /**
         * Pure; thread-safe.
         *
         * @return {@code srtt + 4 * rttvar}, saturating: the budget at the default multiplier (a snapshot holds
         * no configuration; see {@link #budgetNs(int)}).
         */
        public long budgetNs()
        {
            return EmaWord.budgetNs(srttNs, rttvarNs);
        }

        /**
         * Pure; thread-safe.
         *
         * @param budgetMultiplier K of the tracker the snapshot came from.
         * @return {@code srtt + K * rttvar}, saturating.
         */
        public long budgetNs(final int budgetMultiplier)
        {
            return EmaWord.budgetNs(srttNs, rttvarNs, budgetMultiplier);
        }
    }

    /**
     * One tracked site. Immutable; thread-safe.
     *
     * @param site          the site id.
     * @param ema           its aggregate EMA.
     * @param seen          whether a round trip was observed (false when known only from a report).
     * @param lastSeenNs    latest round trip (also the latest EMA update); meaningful when seen.
     * @param lastPhiState  state last reported by a scan.
     * @param historyLength inter-arrival times held.
     * @param historyMeanNs their mean, 0 when empty.
     * @param historyNs     the inter-arrival times, oldest first (read after the length and mean, so
     *                      racing heartbeats may make them differ).
     * @param name          its name ({@code host:port}), {@code ""} when it has none.
     */
    public record Site(
        long site,
        Ema ema,
        boolean seen,
        long lastSeenNs,
        PhiState lastPhiState,
        int historyLength,
        double historyMeanNs,
        List<Long> historyNs,
        String name)
    {
        /**
         * Copies the history. Immutable; thread-safe.
         *
         * @param site          the site id.
         * @param ema           its aggregate EMA.
         * @param seen          whether a round trip was observed.
         * @param lastSeenNs    latest round trip; meaningful when seen.
         * @param lastPhiState  state last reported by a scan.
         * @param historyLength inter-arrival times held.
         * @param historyMeanNs their mean, 0 when empty.
         * @param historyNs     the inter-arrival times, oldest first; copied.
         * @param name          its name, {@code ""} when it has none; not null.
         */
        public Site
        {
            historyNs = List.copyOf(historyNs);
            if (name == null)
            {
                throw new IllegalArgumentException("name must not be null: \"\" is no name");
            }
        }

        /**
         * A site without a name. Immutable; thread-safe.
         *
         * @param site          the site id.
         * @param ema           its aggregate EMA.
         * @param seen          whether a round trip was observed.
         * @param lastSeenNs    latest round trip; meaningful when seen.
         * @param lastPhiState  state last reported by a scan.
         * @param historyLength inter-arrival times held.
         * @param historyMeanNs their mean, 0 when empty.
         * @param historyNs     the inter-arrival times, oldest first; copied.
         */
        public Site(
            final long site,
            final Ema ema,
            final boolean seen,
            final long lastSeenNs,
            final PhiState lastPhiState,
            final int historyLength,
            final double historyMeanNs,
            final List<Long> historyNs)
        {
            this(site, ema, seen, lastSeenNs, lastPhiState, historyLength, historyMeanNs, historyNs, "");
        }
    }

    /**
     * One per-edge EMA. Immutable; thread-safe.
     *
     * @param site     the site.
     * @param chainId  the chain.
     * @param hopIndex the hop, 0..255.
     * @param ema      the EMA.
     */
    public record Edge(long site, long chainId, int hopIndex, Ema ema)
    {
    }

    /**
     * One chain prior. Immutable; thread-safe.
     *
     * @param chainId the chain.
     * @param ema     the EMA.
     */
    public record ChainPrior(long chainId, Ema ema)
    {
    }

    /**
     * One reverse-path report. Immutable; thread-safe.
     *
     * @param fromSite the reporting site.
     * @param nextHop  its next hop.
     * @param chainId  the chain.
     * @param ema      the reported EMA, as stored.
     */
    public record Reported(long fromSite, long nextHop, long chainId, Ema ema)
    {
    }

    /**
     * The tracker's counters. Immutable; thread-safe.
     *
     * @param rejectedSamples      calls refused for a negative time or value.
     * @param siteOverflows        new sites not tracked because the site table was full.
     * @param edgeOverflows        new edges not tracked because the edge table was full.
     * @param chainOverflows       new chains not tracked because the chain table was full.
     * @param reportedOverflows    new reports not stored because the reported table was full.
     * @param nonQuiescentPhiReads φ reads that found heartbeats in flight on every attempt.
     * @param evictedSites         sites removed by eviction.
     * @param evictedEdges         edges removed with their sites.
     * @param evictedReports       reports removed with their sites.
     */
    public record Counters(
        long rejectedSamples,
        long siteOverflows,
        long edgeOverflows,
        long chainOverflows,
        long reportedOverflows,
        long nonQuiescentPhiReads,
        long evictedSites,
        long evictedEdges,
        long evictedReports)
    {
    }
}
