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
             RttTrackerMetrics metrics = RttTrackerMetrics.builder(tracker) // peer tags: the tracker's names
                 .tags(Tags.of("tracker", "orders"))
                 .clock(() -> 40 * MS)
                 .build())
        {
            final long backend = tracker.site("127.0.0.1:50051"); // named, as the gRPC tracer names backends
            tracker.nameSite(9, "x".repeat(RttTracker.MAX_NAME_BYTES + 1)); // too long: dropped, counted
            for (int i = 0; i < 4; i++)
            {
                tracker.observeRoundTrip(backend, 3 * MS, i * 10 * MS);
                tracker.observeRoundTrip(7, 2 * MS, i * 10 * MS);
            }
            tracker.observeRoundTrip(8, MS, 0); // capacity 2: refused, counted
            metrics.bindTo(registry);

            final String text = registry.scrape();

            assertThat(text)
                .contains("rtt_site_srtt_seconds{peer=\"127.0.0.1:50051\",tracker=\"orders\"} 0.003")
                .contains("rtt_site_srtt_seconds{peer=\"7\",tracker=\"orders\"} 0.002")
                .contains("rtt_site_rttvar_seconds{peer=\"127.0.0.1:50051\",tracker=\"orders\"}")
                .contains("rtt_site_budget_seconds{peer=\"127.0.0.1:50051\",tracker=\"orders\"}")
                .contains("rtt_site_phi{peer=\"127.0.0.1:50051\",tracker=\"orders\"}")
                .contains("rtt_site_state{peer=\"127.0.0.1:50051\",tracker=\"orders\"} 0")
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
                .contains("rtt_names_dropped_total{tracker=\"orders\"} 1")
                .contains("# TYPE rtt_site_phi gauge")
                .contains("# TYPE rtt_overflows_total counter");

            tracker.evictSite(backend);
            metrics.refresh();
            final String afterEviction = registry.scrape();
            assertThat(afterEviction)
                .doesNotContain("peer=\"127.0.0.1:50051\"")
                .contains("rtt_site_srtt_seconds{peer=\"7\",tracker=\"orders\"}")
                .contains("rtt_evictions_total{table=\"site\",tracker=\"orders\"} 1");
        }
        registry.close();
    }
}
