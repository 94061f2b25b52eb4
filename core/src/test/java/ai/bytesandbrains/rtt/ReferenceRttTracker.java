package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test oracle: a plain, single-threaded translation of the Rust module's {@code rtt_tracker}, with its own maps,
 * full 64-bit EMA state and a {@code long[]} history whose mean is a fresh sequential {@code double}
 * sum, exactly as the reference computes it. Where docs/semantics.md fixes a deliberate difference, the
 * model follows it, marked with the difference's number; nothing else is borrowed from the library.
 */
final class ReferenceRttTracker
{
    static final double LN_10 = Math.log(10.0);

    /** {@code RttEma}, full precision. */
    static final class Ema
    {
        long srtt;
        long rttvar;
        long count;
        /** Largest value this EMA has held or seen: the scale of the D5 tolerance. */
        long scale;

        void observe(final long sample, final int alphaShift, final int betaShift)
        {
            if (count == 0)
            {
                srtt = sample;
                rttvar = sample >> 1;
            }
            else
            {
                final long delta = Math.abs(srtt - sample);
                rttvar = rttvar - (rttvar >> betaShift) + (delta >> betaShift);
                srtt = srtt - (srtt >> alphaShift) + (sample >> alphaShift);
            }
            count++;
            scale = Math.max(scale, Math.max(sample, Math.max(srtt, rttvar)));
        }

        long budget()
        {
            final long four = rttvar > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : rttvar * 4;
            final long sum = srtt + four;
            return sum < 0 || four == Long.MAX_VALUE ? Long.MAX_VALUE : sum;
        }

        boolean warm()
        {
            return count >= 3;
        }
    }

    record EdgeKey(long site, long chainId, int hop)
    {
    }

    record ReportKey(long fromSite, long nextHop, long chainId)
    {
    }

    record Transition(long site, PhiState state, double phi)
    {
    }

    static final class Entry
    {
        final Ema site = new Ema();
        final long[] history;
        int head;
        int length;
        boolean seen; // D2: "never seen" is explicit, not lastSeen == 0
        long lastSeen;
        long lastUpdated;
        PhiState lastPhiState = PhiState.LIVE;

        Entry(final int historyCapacity)
        {
            history = new long[historyCapacity];
        }

        void recordHeartbeat(final long interArrival)
        {
            if (length == history.length)
            {
                history[head] = interArrival; // evict the oldest
                head = (head + 1) % history.length;
            }
            else
            {
                history[(head + length) % history.length] = interArrival;
                length++;
            }
        }

        double mean()
        {
            double sum = 0.0;
            for (int i = 0; i < length; i++)
            {
                sum += (double)history[(head + i) % history.length];
            }
            return sum / length;
        }

        double phi(final long now)
        {
            if (length == 0 || !seen)
            {
                return 0.0;
            }
            final double elapsed = (double)Math.max(0L, now - lastSeen);
            final double mean = mean();
            if (mean <= 0.0)
            {
                return 0.0;
            }
            return elapsed / (mean * LN_10);
        }
    }

    final int siteCapacity;
    final int edgeCapacity;
    final int chainCapacity;
    final int reportedCapacity;
    final int historyCapacity;
    final double suspectPhi;
    final double downPhi;
    final int alphaShift;
    final int betaShift;
    final int globalAlphaShift;
    final int globalBetaShift;

    final Map<Long, Entry> entries = new LinkedHashMap<>();
    // D7: fixed capacities, so edges and reports are counted per table, not per site entry.
    final Map<EdgeKey, Ema> edges = new HashMap<>();
    final Map<ReportKey, Ema> reported = new HashMap<>();
    final Map<Long, Ema> chainPriors = new HashMap<>();
    final Ema globalPrior = new Ema();
    long rejected;
    long siteOverflows;
    long edgeOverflows;
    long chainOverflows;
    long reportedOverflows;
    long admittedSites;
    long evictedSites;
    long evictedEdges;
    long evictedReports;

    ReferenceRttTracker(final RttTrackerConfig config)
    {
        siteCapacity = config.siteCapacity();
        edgeCapacity = config.edgeCapacity();
        chainCapacity = config.chainCapacity();
        reportedCapacity = config.reportedCapacity();
        historyCapacity = config.historyCapacity();
        suspectPhi = config.suspectPhi();
        downPhi = config.downPhi();
        alphaShift = config.emaShifts().alphaShift();
        betaShift = config.emaShifts().betaShift();
        globalAlphaShift = config.globalPriorShifts().alphaShift();
        globalBetaShift = config.globalPriorShifts().betaShift();
    }

    private Entry entry(final long site)
    {
        final Entry entry = entries.get(site);
        if (entry != null)
        {
            return entry;
        }
        if (entries.size() >= siteCapacity) // D7
        {
            siteOverflows++;
            return null;
        }
        final Entry created = new Entry(historyCapacity);
        entries.put(site, created);
        admittedSites++;
        return created;
    }

    private <K> Ema ema(final Map<K, Ema> map, final K key, final int capacity, final Runnable overflow)
    {
        final Ema ema = map.get(key);
        if (ema != null)
        {
            return ema;
        }
        if (map.size() >= capacity) // D7
        {
            overflow.run();
            return null;
        }
        final Ema created = new Ema();
        map.put(key, created);
        return created;
    }

    boolean observe(final long site, final boolean hasChain, final long chainId, final int hop, final long elapsed, final long now)
    {
        if (elapsed < 0 || now < 0) // D1
        {
            rejected++;
            return false;
        }
        final Entry entry = entry(site);
        if (entry != null)
        {
            entry.site.observe(elapsed, alphaShift, betaShift);
            if (!entry.seen)
            {
                entry.seen = true;
                entry.lastSeen = now;
                entry.lastUpdated = now;
            }
            else if (now >= entry.lastSeen) // D3: a late now records nothing and moves nothing back
            {
                // The library clamps an inter-arrival so its exact sum fits in a long (D6).
                entry.recordHeartbeat(Math.min(now - entry.lastSeen, Long.MAX_VALUE / historyCapacity));
                entry.lastSeen = now;
                entry.lastUpdated = now;
            }
        }
        if (hasChain)
        {
            final Ema edge = ema(edges, new EdgeKey(site, chainId, hop), edgeCapacity, () -> edgeOverflows++);
            if (edge != null)
            {
                edge.observe(elapsed, alphaShift, betaShift);
            }
            final Ema chain = ema(chainPriors, chainId, chainCapacity, () -> chainOverflows++);
            if (chain != null)
            {
                chain.observe(elapsed, alphaShift, betaShift);
            }
        }
        globalPrior.observe(elapsed, globalAlphaShift, globalBetaShift);
        return true;
    }

    boolean ingest(final long from, final long nextHop, final long chainId, final long srtt, final long rttvar, final long count)
    {
        if (srtt < 0 || rttvar < 0 || count < 0) // D1
        {
            rejected++;
            return false;
        }
        entry(from);
        final Ema report = ema(reported, new ReportKey(from, nextHop, chainId), reportedCapacity, () -> reportedOverflows++);
        if (report == null)
        {
            return false;
        }
        report.srtt = srtt;
        report.rttvar = rttvar;
        report.count = count;
        report.scale = Math.max(srtt, rttvar);
        return true;
    }

    /** Returns the budget and, in {@code tier[0]}, the scale of the EMA that answered (0 for static). */
    long estimate(final long site, final boolean hasChain, final long chainId, final int hop, final long staticDefault, final long[] tier)
    {
        tier[0] = 0;
        if (hasChain)
        {
            final Ema edge = edges.get(new EdgeKey(site, chainId, hop));
            if (edge != null && edge.warm())
            {
                tier[0] = edge.scale;
                return edge.budget();
            }
        }
        final Entry entry = entries.get(site);
        if (entry != null && entry.site.warm())
        {
            tier[0] = entry.site.scale;
            return entry.site.budget();
        }
        if (hasChain)
        {
            final Ema chain = chainPriors.get(chainId);
            if (chain != null && chain.warm())
            {
                tier[0] = chain.scale;
                return chain.budget();
            }
        }
        if (globalPrior.warm())
        {
            tier[0] = -globalPrior.scale - 1; // negative: answered by the slow-learning global prior
            return globalPrior.budget();
        }
        return staticDefault;
    }

    /** Not in the Rust module (its maps grow forever): forget a site with its edges and reports. */
    boolean evictSite(final long site)
    {
        final boolean removed = entries.remove(site) != null;
        evictedSites += removed ? 1 : 0;
        removeEdgesAndReportsWhere(key -> key == site);
        return removed;
    }

    /** Evict every seen site silent for at least {@code idle}, then edges and reports of untracked sites. */
    int evictIdle(final long now, final long idle)
    {
        if (now < 0 || idle < 0)
        {
            rejected++;
            return 0;
        }
        final int before = entries.size();
        entries.values().removeIf(entry -> entry.seen && now - entry.lastSeen >= idle);
        final int evicted = before - entries.size();
        evictedSites += evicted;
        removeEdgesAndReportsWhere(key -> !entries.containsKey(key));
        return evicted;
    }

    private void removeEdgesAndReportsWhere(final java.util.function.LongPredicate siteMatches)
    {
        final int edgesBefore = edges.size();
        edges.keySet().removeIf(key -> siteMatches.test(key.site()));
        evictedEdges += edgesBefore - edges.size();
        final int reportsBefore = reported.size();
        reported.keySet().removeIf(key -> siteMatches.test(key.fromSite()));
        evictedReports += reportsBefore - reported.size();
    }

    double phi(final long site, final long now)
    {
        if (now < 0)
        {
            rejected++;
            return 0.0;
        }
        final Entry entry = entries.get(site);
        return entry == null ? 0.0 : entry.phi(now);
    }

    List<Transition> scan(final long now)
    {
        final List<Transition> transitions = new ArrayList<>();
        if (now < 0)
        {
            rejected++;
            return transitions;
        }
        for (final Map.Entry<Long, Entry> e : entries.entrySet())
        {
            final Entry entry = e.getValue();
            final double phi = entry.phi(now);
            final PhiState state = phi > downPhi ? PhiState.DOWN : phi > suspectPhi ? PhiState.SUSPECT : PhiState.LIVE;
            if (state != entry.lastPhiState)
            {
                transitions.add(new Transition(e.getKey(), state, phi));
                entry.lastPhiState = state;
            }
        }
        return transitions;
    }
}
