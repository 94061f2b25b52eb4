package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.SiteView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;

import java.util.concurrent.TimeUnit;

/**
 * The five gauges of one tracked site, and the functions behind them. The gauges read the tracker when a
 * registry samples them, not when the meters were registered, so values are as fresh as the scrape.
 *
 * <p>Gauge functions are thread-safe and lock-free: they read through a view confined to the calling
 * thread ({@link RttTrackerMetrics#view()}), so concurrent scrapes never share a mutable
 * {@link SiteView}. The registration fields are written and read only under the binder's refresh guard.
 */
final class SiteMeters
{
    private final RttTrackerMetrics metrics;
    private final RttTracker tracker;
    private final long site;
    private final String peer;
    private final boolean unnamed;
    private final Meter[] meters = new Meter[5];
    /** Refresh pass that last saw the site tracked; guarded by the binder's refresh guard. */
    long seenInPass;

    SiteMeters(final RttTrackerMetrics metrics, final long site, final String peer, final boolean unnamed)
    {
        this.unnamed = unnamed;
        this.metrics = metrics;
        this.tracker = metrics.tracker();
        this.site = site;
        this.peer = peer;
    }

    String peer()
    {
        return peer;
    }

    /** @return whether the peer tag is the fallback, the site having no name when registered. */
    boolean unnamed()
    {
        return unnamed;
    }

    /** Under the binder's refresh guard; allocates (the meters). */
    void register(final MeterRegistry registry, final Tags commonTags)
    {
        final Tags tags = commonTags.and(RttTrackerMetrics.TAG_PEER, peer);
        meters[0] = TimeGauge.builder(RttTrackerMetrics.SITE_SRTT, this, TimeUnit.NANOSECONDS, SiteMeters::srttNs)
            .tags(tags).strongReference(true)
            .description("Smoothed round-trip time of the peer (Jacobson/Karels srtt); NaN before its first sample")
            .register(registry);
        meters[1] = TimeGauge.builder(RttTrackerMetrics.SITE_RTTVAR, this, TimeUnit.NANOSECONDS, SiteMeters::rttvarNs)
            .tags(tags).strongReference(true)
            .description("Round-trip time variation of the peer (rttvar); NaN before its first sample")
            .register(registry);
        meters[2] = TimeGauge.builder(RttTrackerMetrics.SITE_BUDGET, this, TimeUnit.NANOSECONDS, SiteMeters::budgetNs)
            .tags(tags).strongReference(true)
            .description("Deadline budget for a call to the peer with no chain context: site, global prior, static default")
            .register(registry);
        meters[3] = Gauge.builder(RttTrackerMetrics.SITE_PHI, this, SiteMeters::phi)
            .tags(tags).strongReference(true)
            .description("Phi-accrual suspicion of the peer at the time of the scrape")
            .register(registry);
        meters[4] = Gauge.builder(RttTrackerMetrics.SITE_STATE, this, SiteMeters::state)
            .tags(tags).strongReference(true)
            .description("State last reported for the peer by a phi scan: 0 live, 1 suspect, 2 down")
            .register(registry);
    }

    /** Under the binder's refresh guard. */
    void remove(final MeterRegistry registry)
    {
        for (final Meter meter : meters)
        {
            if (meter != null)
            {
                registry.remove(meter);
            }
        }
    }

    /** Any thread, lock-free, allocation-free once the thread's view exists. */
    double srttNs()
    {
        final SiteView view = read();
        return view == null || view.sampleCount() == 0 ? Double.NaN : view.srttNs();
    }

    /** Any thread, lock-free, allocation-free once the thread's view exists. */
    double rttvarNs()
    {
        final SiteView view = read();
        return view == null || view.sampleCount() == 0 ? Double.NaN : view.rttvarNs();
    }

    /** Any thread, lock-free, allocation-free once the thread's view exists. */
    double state()
    {
        final SiteView view = read();
        return view == null ? Double.NaN : view.lastPhiState().ordinal();
    }

    /** Any thread, lock-free, allocation-free. */
    double budgetNs()
    {
        if (tracker.isClosed())
        {
            return Double.NaN;
        }
        try
        {
            return tracker.estimateBudgetNs(site, metrics.staticDefaultBudgetNs());
        }
        catch (final IllegalStateException closedMeanwhile)
        {
            return Double.NaN;
        }
    }

    /** Any thread, lock-free, allocation-free (given an allocation-free clock). */
    double phi()
    {
        if (tracker.isClosed())
        {
            return Double.NaN;
        }
        try
        {
            return tracker.phi(site, metrics.nowNs());
        }
        catch (final IllegalStateException closedMeanwhile)
        {
            return Double.NaN;
        }
    }

    /** The site read into this thread's view, or {@code null} when it is not tracked or the tracker closed. */
    private SiteView read()
    {
        if (tracker.isClosed())
        {
            return null;
        }
        final SiteView view = metrics.view();
        try
        {
            return tracker.readSite(site, view) ? view : null;
        }
        catch (final IllegalStateException closedMeanwhile)
        {
            return null;
        }
    }
}
