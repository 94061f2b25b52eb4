package ai.bytesandbrains.rtt.micrometer;

import ai.bytesandbrains.rtt.RttTracker;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest
{
    private static final long MS = 1_000_000L;

    @Test
    void shouldScrapeEveryMetricWithItsPrometheusNameAndTags()
    {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (RttTracker tracker = RttTracker.builder().siteCapacity(2).historyCapacity(8).localPauseAwareness(false).build();
             RttTrackerMetrics metrics = RttTrackerMetrics.builder(tracker)
                 .peerNames(site -> site == 42 ? "ny4" : null)
                 .tags(Tags.of("tracker", "orders"))
                 .clock(() -> 40 * MS)
                 .build())
        {
            for (int i = 0; i < 4; i++)
            {
                tracker.observeRoundTrip(42, 3 * MS, i * 10 * MS);
                tracker.observeRoundTrip(7, 2 * MS, i * 10 * MS);
            }
            tracker.observeRoundTrip(8, MS, 0); // capacity 2: refused, counted
            metrics.bindTo(registry);

            final String text = registry.scrape();

            assertThat(text)
                .contains("rtt_site_srtt_seconds{peer=\"ny4\",tracker=\"orders\"} 0.003")
                .contains("rtt_site_srtt_seconds{peer=\"7\",tracker=\"orders\"} 0.002")
                .contains("rtt_site_rttvar_seconds{peer=\"ny4\",tracker=\"orders\"}")
                .contains("rtt_site_budget_seconds{peer=\"ny4\",tracker=\"orders\"}")
                .contains("rtt_site_phi{peer=\"ny4\",tracker=\"orders\"}")
                .contains("rtt_site_state{peer=\"ny4\",tracker=\"orders\"} 0")
                .contains("rtt_sites_tracked{tracker=\"orders\"} 2")
                .contains("rtt_overflows_total{table=\"site\",tracker=\"orders\"} 1")
                .contains("rtt_overflows_total{table=\"edge\",tracker=\"orders\"} 0")
                .contains("rtt_overflows_total{table=\"chain\",tracker=\"orders\"} 0")
                .contains("rtt_overflows_total{table=\"report\",tracker=\"orders\"} 0")
                .contains("rtt_evictions_total{table=\"site\",tracker=\"orders\"} 0")
                .contains("rtt_evictions_total{table=\"edge\",tracker=\"orders\"} 0")
                .contains("rtt_evictions_total{table=\"report\",tracker=\"orders\"} 0")
                .contains("rtt_samples_rejected_total{tracker=\"orders\"} 0")
                .contains("rtt_phi_reads_nonquiescent_total{tracker=\"orders\"} 0")
                .contains("rtt_local_pauses_total{tracker=\"orders\"} 0")
                .contains("# TYPE rtt_site_phi gauge")
                .contains("# TYPE rtt_overflows_total counter");

            tracker.evictSite(42);
            metrics.refresh();
            final String afterEviction = registry.scrape();
            assertThat(afterEviction)
                .doesNotContain("peer=\"ny4\"")
                .contains("rtt_site_srtt_seconds{peer=\"7\",tracker=\"orders\"}")
                .contains("rtt_evictions_total{table=\"site\",tracker=\"orders\"} 1");
        }
        registry.close();
    }
}
