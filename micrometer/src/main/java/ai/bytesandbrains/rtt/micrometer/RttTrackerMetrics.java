package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.agrona.collections.Long2ObjectHashMap;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Publishes an {@link RttTracker} to Micrometer: five gauges per tracked site, a gauge of the number of
 * tracked sites, and the tracker's counters as {@link FunctionCounter}s.
 *
 * <h2>Meters</h2>
 * <table>
 *   <caption>Meters (Prometheus names in brackets, with a {@code seconds} base time unit)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>value</th></tr>
 *   <tr><td>{@value #SITE_SRTT} ({@code rtt_site_srtt_seconds})</td><td>time gauge</td><td>peer</td>
 *   <td>smoothed RTT; NaN before the site's first round trip</td></tr>
 *   <tr><td>{@value #SITE_RTTVAR} ({@code rtt_site_rttvar_seconds})</td><td>time gauge</td><td>peer</td>
 *   <td>RTT variation; NaN before the first round trip</td></tr>
 *   <tr><td>{@value #SITE_BUDGET} ({@code rtt_site_budget_seconds})</td><td>time gauge</td><td>peer</td>
 *   <td>{@link RttTracker#estimateBudgetNs(long, long)} with the configured static default</td></tr>
 *   <tr><td>{@value #SITE_PHI} ({@code rtt_site_phi})</td><td>gauge</td><td>peer</td>
 *   <td>{@link RttTracker#phi(long, long)} at the clock's time of the scrape</td></tr>
 *   <tr><td>{@value #SITE_STATE} ({@code rtt_site_state})</td><td>gauge</td><td>peer</td>
 *   <td>state last reported by a φ scan ({@link SiteView#lastPhiState()}): {@value #STATE_LIVE} live,
 *   {@value #STATE_SUSPECT} suspect, {@value #STATE_DOWN} down (the {@link PhiState} ordinal). It moves
 *   only when something calls {@link RttTracker#scanPhi}, e.g. a {@code PhiScanAgent}.</td></tr>
 *   <tr><td>{@value #SITES_TRACKED} ({@code rtt_sites_tracked})</td><td>gauge</td><td></td>
 *   <td>{@link RttTracker#trackedSiteCount()}</td></tr>
 *   <tr><td>{@value #OVERFLOWS} ({@code rtt_overflows_total})</td><td>function counter</td>
 *   <td>table = site, edge, chain, report</td><td>new keys refused by a full table</td></tr>
 *   <tr><td>{@value #EVICTIONS} ({@code rtt_evictions_total})</td><td>function counter</td>
 *   <td>table = site, edge, report</td><td>records removed by eviction</td></tr>
 *   <tr><td>{@value #SAMPLES_REJECTED} ({@code rtt_samples_rejected_total})</td><td>function counter</td>
 *   <td></td><td>{@link RttTracker#rejectedSampleCount()}</td></tr>
 *   <tr><td>{@value #PHI_READS_NON_QUIESCENT} ({@code rtt_phi_reads_nonquiescent_total})</td>
 *   <td>function counter</td><td></td><td>{@link RttTracker#nonQuiescentPhiReadCount()}</td></tr>
 *   <tr><td>{@value #LOCAL_PAUSES} ({@code rtt_local_pauses_total})</td><td>function counter</td><td></td>
 *   <td>{@link RttTracker#localPauseCount()}</td></tr>
 *   <tr><td>{@value #NAMES_DROPPED} ({@code rtt_names_dropped_total})</td><td>function counter</td><td></td>
 *   <td>{@link RttTracker#droppedNameCount()}</td></tr>
 * </table>
 * Every meter also carries the common tags given to the builder. The {@code peer} tag is the
 * {@link SitePeerNames} name of the site: by default the name the tracker keeps for it ({@code host:port},
 * given by {@code RttTracker.site(name)} or {@code nameSite}), else the site id as an unsigned decimal
 * number; a site named after its meters were registered is tagged by its name from the next refresh on.
 * When two tracked sites map to one name, the later one's tag becomes {@code name#unsignedSiteId}, so that
 * no two sites ever share (and remove) one meter.
 *
 * <h2>Sites come and go: {@link #refresh()}</h2>
 * Per-site meters are registered and removed only by {@link #refresh()}: it registers meters for sites
 * tracked since the last refresh and removes ({@link MeterRegistry#remove(Meter)}) those of sites no
 * longer tracked. Nothing refreshes on its own; pick one driver:
 * <ul>
 *   <li>a {@code PhiScanAgent} (module {@code bb-rtt-agent}) runs {@code metrics::refresh} every N scans;</li>
 *   <li>{@link #scheduleRefresh(ScheduledExecutorService, Duration)} on an executor you own;</li>
 *   <li>call it yourself before each scrape (e.g. before {@code PrometheusMeterRegistry.scrape()}).</li>
 * </ul>
 * Refreshing on each scrape is not done implicitly: Micrometer has no registry-independent scrape hook,
 * and a gauge function that registered meters would re-enter the registry while it is being read.
 * Between refreshes a new site has no meters yet, and an evicted site keeps its meters (its srtt, rttvar
 * and state read NaN; its budget falls to the next tier; its φ reads 0).
 *
 * <h2>Threading contract</h2>
 * Gauge and counter functions are lock-free and may be sampled by any number of threads at once: each
 * thread reads sites into its own {@link SiteView} (a {@link ThreadLocal}), and reads nothing that a
 * refresh writes. {@link #refresh()}, {@link #bindTo} and {@link #close()} may be called from any thread;
 * refreshes never wait for each other: one that finds another running returns at once. After the tracker
 * is closed, gauges read NaN and counters keep their last value.
 */
public final class RttTrackerMetrics implements MeterBinder, AutoCloseable
{
    /** Gauge: smoothed RTT per peer. */
    public static final String SITE_SRTT = "rtt.site.srtt";
    /** Gauge: RTT variation per peer. */
    public static final String SITE_RTTVAR = "rtt.site.rttvar";
    /** Gauge: deadline budget per peer. */
    public static final String SITE_BUDGET = "rtt.site.budget";
    /** Gauge: φ per peer. */
    public static final String SITE_PHI = "rtt.site.phi";
    /** Gauge: last reported φ state per peer. */
    public static final String SITE_STATE = "rtt.site.state";
    /** Gauge: tracked sites. */
    public static final String SITES_TRACKED = "rtt.sites.tracked";
    /** Function counter: new keys refused by a full table, tagged {@value #TAG_TABLE}. */
    public static final String OVERFLOWS = "rtt.overflows";
    /** Function counter: records evicted, tagged {@value #TAG_TABLE}. */
    public static final String EVICTIONS = "rtt.evictions";
    /** Function counter: samples and calls refused for a negative time or value. */
    public static final String SAMPLES_REJECTED = "rtt.samples.rejected";
    /** Function counter: φ reads that had to use a history with heartbeats in flight. */
    public static final String PHI_READS_NON_QUIESCENT = "rtt.phi.reads.nonquiescent";
    /** Function counter: local pauses of this process recorded for φ. */
    public static final String LOCAL_PAUSES = "rtt.local.pauses";

    /** Function counter: site names not stored (name table full, name too long). */
    public static final String NAMES_DROPPED = "rtt.names.dropped";
    /** Tag naming the peer of a per-site meter. */
    public static final String TAG_PEER = "peer";
    /** Tag naming the table of an overflow or eviction counter. */
    public static final String TAG_TABLE = "table";

    /** {@value #SITE_STATE} of a live site. */
    public static final int STATE_LIVE = 0;
    /** {@value #SITE_STATE} of a suspect site. */
    public static final int STATE_SUSPECT = 1;
    /** {@value #SITE_STATE} of a down site. */
    public static final int STATE_DOWN = 2;

    private final RttTracker tracker;
    private final long staticDefaultBudgetNs;
    private final SitePeerNames peerNames;
    private final boolean namesFromTracker;
    private final LongSupplier clock;
    private final Tags commonTags;
    private final ThreadLocal<SiteView> views = ThreadLocal.withInitial(SiteView::new);

    // CAS from null: a binder publishes to one registry (a CompositeMeterRegistry reaches several).
    private final AtomicReference<MeterRegistry> registry = new AtomicReference<>();
    // Written by bindTo on any thread, read by close on another: copy-on-write, and written only twice.
    private final List<Meter> trackerMeters = new CopyOnWriteArrayList<>();
    /** Strong references to the counters' states, which the registry holds only weakly. */
    private final List<TrackerCounter> counterStates = new CopyOnWriteArrayList<>();
    // A try-lock that never waits: its CAS (acquire) and release store hand the maps below and every
    // SiteMeters registration field from one refreshing thread to the next.
    private final AtomicBoolean refreshing = new AtomicBoolean();
    // volatile: read after releasing the guard; see cleanUpIfClosed for why that order finds every close.
    private volatile boolean closed;

    private final Long2ObjectHashMap<SiteMeters> sites = new Long2ObjectHashMap<>();
    private final Map<String, SiteMeters> sitesByPeer = new HashMap<>();
    private final LongConsumer siteVisitor = this::onTrackedSite; // one instance: a refresh allocates no lambda
    private final byte[] nameScratch = new byte[RttTracker.MAX_NAME_BYTES]; // under the guard: is a site named yet?
    private MeterRegistry refreshRegistry;
    private long pass;
    // Written under the guard, read by any thread: volatile for a reading that is fresh, not for ordering.
    private volatile int sitesSize;

    private RttTrackerMetrics(final Builder builder)
    {
        tracker = builder.tracker;
        staticDefaultBudgetNs = builder.staticDefaultBudgetNs;
        namesFromTracker = builder.peerNames == null;
        peerNames = namesFromTracker ? SitePeerNames.trackerNames(tracker) : builder.peerNames;
        clock = builder.clock;
        commonTags = builder.commonTags;
    }

    /**
     * Any thread; the builder itself is not thread-safe.
     *
     * @param tracker the tracker to publish.
     * @return a builder: static default budget 0, {@linkplain SitePeerNames#trackerNames the tracker's names}
     * (else the unsigned decimal id), clock {@link System#nanoTime()}, no common tags.
     * @throws IllegalArgumentException when {@code tracker} is null.
     */
    public static Builder builder(final RttTracker tracker)
    {
        return new Builder(tracker);
    }

    /**
     * Register the tracker-wide meters in {@code registry}, then {@link #refresh()} once so that every
     * site tracked now has its meters. Any thread; call once per binder.
     *
     * @param registry the registry; to publish to several, bind a {@code CompositeMeterRegistry}.
     * @throws IllegalArgumentException when {@code registry} is null.
     * @throws IllegalStateException    when already bound, or after {@link #close()}.
     */
    @Override
    public void bindTo(final MeterRegistry registry)
    {
        if (registry == null)
        {
            throw new IllegalArgumentException("registry must not be null");
        }
        if (closed)
        {
            throw new IllegalStateException("RttTrackerMetrics is closed");
        }
        if (!this.registry.compareAndSet(null, registry))
        {
            throw new IllegalStateException(
                "RttTrackerMetrics is already bound to a registry: bind a CompositeMeterRegistry to publish to several");
        }
        trackerMeters.add(Gauge.builder(SITES_TRACKED, this, RttTrackerMetrics::trackedSites)
            .tags(commonTags).strongReference(true)
            .description("Sites tracked now")
            .register(registry));
        counter(registry, OVERFLOWS, "site", RttTracker::siteOverflowCount, "New sites not tracked: the site table was full");
        counter(registry, OVERFLOWS, "edge", RttTracker::edgeOverflowCount, "New edges not tracked: the edge table was full");
        counter(registry, OVERFLOWS, "chain", RttTracker::chainOverflowCount, "New chains not tracked: the chain table was full");
        counter(registry, OVERFLOWS, "report", RttTracker::reportedOverflowCount, "New reports not stored: the reported table was full");
        counter(registry, EVICTIONS, "site", RttTracker::evictedSiteCount, "Sites evicted");
        counter(registry, EVICTIONS, "edge", RttTracker::evictedEdgeCount, "Edges removed with their sites");
        counter(registry, EVICTIONS, "report", RttTracker::evictedReportCount, "Reports removed with their sites");
        counter(registry, SAMPLES_REJECTED, null, RttTracker::rejectedSampleCount, "Calls refused for a negative time or value");
        counter(registry, PHI_READS_NON_QUIESCENT, null, RttTracker::nonQuiescentPhiReadCount,
            "Phi reads that used a history with heartbeats of the site in flight");
        counter(registry, LOCAL_PAUSES, null, RttTracker::localPauseCount,
            "Local pauses of this process (scan gaps, GC pauses, reported pauses) discounted from phi");
        counter(registry, NAMES_DROPPED, null, RttTracker::droppedNameCount,
            "Site names not stored: the name table was full or the name too long");
        refresh();
        cleanUpIfClosed(); // a close that raced the registrations above removes them here
    }

    /**
     * Register meters for sites tracked since the last refresh and remove the meters of sites no longer
     * tracked. Any thread, never blocks: a call that finds another refresh running returns {@code false}
     * at once (the running one does the work). Allocation-free when no site came or went; registering a
     * site allocates its meters and calls {@link SitePeerNames} once. Sites tracked while the pass runs
     * may wait for the next refresh. Does nothing before {@link #bindTo}, after {@link #close()} or once
     * the tracker is closed.
     *
     * @return {@code true} when this call ran a pass.
     * @throws RuntimeException what {@link SitePeerNames} or the registry threw; the binder stays usable.
     */
    public boolean refresh()
    {
        final MeterRegistry target = registry.get();
        if (target == null || !refreshing.compareAndSet(false, true))
        {
            return false;
        }
        boolean ran = false;
        try
        {
            if (!closed && !tracker.isClosed())
            {
                refreshRegistry = target;
                pass++;
                tracker.forEachTrackedSite(siteVisitor);
                removeSitesNotSeenIn(pass);
                ran = true;
            }
        }
        catch (final IllegalStateException trackerClosedMeanwhile)
        {
            // the tracker closed before the pass began its visit: nothing was changed
        }
        finally
        {
            refreshing.set(false);
        }
        cleanUpIfClosed();
        return ran;
    }

    /**
     * Run {@link #refresh()} every {@code period} on {@code executor}, first after one period. Any thread.
     * The caller owns the executor and cancels the returned future to stop; an exception from a refresh
     * stops the schedule, as {@link ScheduledExecutorService#scheduleAtFixedRate} does, and the future
     * holds it.
     *
     * @param executor runs the refreshes.
     * @param period   time between refreshes, positive.
     * @return the schedule's future.
     * @throws IllegalArgumentException when {@code executor} is null or {@code period} is null or not positive.
     */
    public ScheduledFuture<?> scheduleRefresh(final ScheduledExecutorService executor, final Duration period)
    {
        if (executor == null)
        {
            throw new IllegalArgumentException("executor must not be null");
        }
        if (period == null || period.isNegative() || period.isZero())
        {
            throw new IllegalArgumentException("period must be positive but was " + period);
        }
        final long periodNs = period.toNanos();
        return executor.scheduleAtFixedRate(this::refresh, periodNs, periodNs, TimeUnit.NANOSECONDS);
    }

    /**
     * Remove every meter this binder registered; later refreshes do nothing. Idempotent, any thread, never
     * blocks: when a refresh is running, that refresh removes the meters as it finishes. Closes neither the
     * tracker nor the registry, and does not cancel a {@link #scheduleRefresh} schedule (its refreshes then
     * return at once): cancel its future.
     */
    @Override
    public void close()
    {
        closed = true;
        cleanUpIfClosed();
    }

    /**
     * Any thread; a moment's value read under no lock.
     *
     * @return sites that have meters now.
     */
    public int siteMeterCount()
    {
        return sitesSize;
    }

    RttTracker tracker()
    {
        return tracker;
    }

    long staticDefaultBudgetNs()
    {
        return staticDefaultBudgetNs;
    }

    long nowNs()
    {
        return clock.getAsLong();
    }

    /** This thread's view: a gauge reading never shares a mutable view with another thread. */
    SiteView view()
    {
        return views.get();
    }

    private double trackedSites()
    {
        if (tracker.isClosed())
        {
            return Double.NaN;
        }
        try
        {
            return tracker.trackedSiteCount();
        }
        catch (final IllegalStateException closedMeanwhile)
        {
            return Double.NaN;
        }
    }

    private void counter(
        final MeterRegistry target,
        final String name,
        final String table,
        final ToLongFunction<RttTracker> reader,
        final String description)
    {
        Tags tags = commonTags;
        if (table != null)
        {
            tags = tags.and(TAG_TABLE, table);
        }
        // Micrometer holds a function counter's state weakly: keep it here, or a GC would collect it and
        // freeze the counter at its last value.
        final TrackerCounter state = new TrackerCounter(tracker, reader);
        counterStates.add(state);
        trackerMeters.add(FunctionCounter.builder(name, state, TrackerCounter::count)
            .tags(tags)
            .description(description)
            .register(target));
    }

    /** Under the guard: the site is tracked in this pass. */
    private void onTrackedSite(final long site)
    {
        SiteMeters meters = sites.get(site);
        // A site named after its meters were registered (its namer raced its first observe): tag it by the
        // name now. One lock-free, allocation-free lookup per unnamed site and refresh.
        if (meters != null && meters.unnamed() && namesFromTracker && tracker.reader().readName(site, nameScratch) > 0)
        {
            meters.remove(refreshRegistry);
            sitesByPeer.remove(meters.peer());
            sites.remove(site);
            meters = null;
        }
        if (meters == null)
        {
            final String name = peerNames.peerName(site);
            final boolean unnamed = name == null || name.isEmpty();
            final String peer = unnamed ? SitePeerNames.UNSIGNED_DECIMAL.peerName(site) : name;
            meters = new SiteMeters(this, site, uniquePeerName(peer, site), unnamed);
            meters.register(refreshRegistry, commonTags);
            sites.put(site, meters);
            sitesByPeer.put(meters.peer(), meters);
            sitesSize = sites.size();
        }
        meters.seenInPass = pass;
    }

    private String uniquePeerName(final String name, final long site)
    {
        return sitesByPeer.containsKey(name) ? name + '#' + Long.toUnsignedString(site) : name;
    }

    /** Under the guard; allocation-free (Agrona's map reuses its iterator). */
    private void removeSitesNotSeenIn(final long currentPass)
    {
        final Iterator<SiteMeters> iterator = sites.values().iterator();
        while (iterator.hasNext())
        {
            final SiteMeters meters = iterator.next();
            if (meters.seenInPass != currentPass)
            {
                meters.remove(refreshRegistry);
                sitesByPeer.remove(meters.peer());
                iterator.remove();
            }
        }
        sitesSize = sites.size();
    }

    /**
     * Remove every meter if closed and no refresh holds the guard. Every path that registers meters or
     * holds the guard calls this after releasing it, and close() sets {@code closed} before calling it:
     * volatile accesses are totally ordered, so if close's CAS finds the guard held, the holder's release
     * comes later and its read of {@code closed} that follows sees {@code true}.
     */
    private void cleanUpIfClosed()
    {
        if (!closed || !refreshing.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            final MeterRegistry target = registry.get();
            if (target != null)
            {
                for (final SiteMeters meters : sites.values())
                {
                    meters.remove(target);
                }
                for (final Meter meter : trackerMeters)
                {
                    target.remove(meter);
                }
            }
            sites.clear();
            sitesByPeer.clear();
            trackerMeters.clear();
            counterStates.clear();
            sitesSize = 0;
        }
        finally
        {
            refreshing.set(false);
        }
    }

    /**
     * Configuration of an {@link RttTrackerMetrics}; invalid values fail at the setter or at
     * {@link #build()}, naming the parameter. Not thread-safe.
     */
    public static final class Builder
    {
        private final RttTracker tracker;
        private long staticDefaultBudgetNs;
        private SitePeerNames peerNames; // null: the tracker's names
        private LongSupplier clock = System::nanoTime;
        private Tags commonTags = Tags.empty();

        private Builder(final RttTracker tracker)
        {
            if (tracker == null)
            {
                throw new IllegalArgumentException("tracker must not be null");
            }
            this.tracker = tracker;
        }

        /**
         * @param staticDefaultBudgetNs budget reported for a peer when no tier is warm, {@code >= 0}.
         * @return this.
         * @throws IllegalArgumentException when negative.
         */
        public Builder staticDefaultBudgetNs(final long staticDefaultBudgetNs)
        {
            if (staticDefaultBudgetNs < 0)
            {
                throw new IllegalArgumentException("staticDefaultBudgetNs must be >= 0 but was " + staticDefaultBudgetNs);
            }
            this.staticDefaultBudgetNs = staticDefaultBudgetNs;
            return this;
        }

        /**
         * @param peerNames maps a site to its {@value #TAG_PEER} tag, in place of the tracker's names.
         * @return this.
         * @throws IllegalArgumentException when null.
         */
        public Builder peerNames(final SitePeerNames peerNames)
        {
            if (peerNames == null)
            {
                throw new IllegalArgumentException("peerNames must not be null");
            }
            this.peerNames = peerNames;
            return this;
        }

        /**
         * @param clock the time φ gauges are computed at, on {@link System#nanoTime()}'s base (the clock
         *              the tracker's observes use); called by scraping threads, so it must be thread-safe.
         * @return this.
         * @throws IllegalArgumentException when null.
         */
        public Builder clock(final LongSupplier clock)
        {
            if (clock == null)
            {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /**
         * @param tags added to every meter (e.g. a tracker name when several are published).
         * @return this.
         * @throws IllegalArgumentException when null, or when a tag's key is {@value #TAG_PEER} or
         *                                  {@value #TAG_TABLE}.
         */
        public Builder tags(final Iterable<Tag> tags)
        {
            if (tags == null)
            {
                throw new IllegalArgumentException("tags must not be null");
            }
            for (final Tag tag : tags)
            {
                if (TAG_PEER.equals(tag.getKey()) || TAG_TABLE.equals(tag.getKey()))
                {
                    throw new IllegalArgumentException("tags must not use the key '" + tag.getKey() + "': the binder sets it");
                }
            }
            this.commonTags = Tags.of(tags);
            return this;
        }

        /**
         * @return the binder, not yet bound to a registry.
         */
        public RttTrackerMetrics build()
        {
            return new RttTrackerMetrics(this);
        }
    }
}
