package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import io.grpc.NameResolver.ConfigOrError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhiEjectionConfigTest
{
    private final RttTracker tracker = RttTracker.builder().build();

    @AfterEach
    void close()
    {
        tracker.close();
    }

    @Test
    void shouldLengthenConsecutiveEjectionsUpToTheMaximum()
    {
        final PhiEjectionConfig config = PhiEjectionConfig.defaults(Boolean.TRUE).withTimings(
            Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThat(config.ejectionTimeNs(1)).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(config.ejectionTimeNs(2)).isEqualTo(Duration.ofSeconds(4).toNanos());
        assertThat(config.ejectionTimeNs(3)).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(config.ejectionTimeNs(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void shouldRefuseInvalidValuesNamingThem()
    {
        final PhiEjectionConfig config = PhiEjectionConfig.defaults(Boolean.TRUE);
        assertThatThrownBy(() -> config.withMaxEjectionPercent(101)).hasMessageContaining("maxEjectionPercent");
        assertThatThrownBy(() -> config.withTimings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1))).hasMessageContaining("interval");
        assertThatThrownBy(() -> config.withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(1))).hasMessageContaining("maxEjection");
        assertThatThrownBy(() -> config.withTimings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ZERO)).hasMessageContaining("probation");
        assertThatThrownBy(() -> new PhiEjectionConfig(1, 1, 1, 10, 1, 0, Boolean.TRUE))
            .hasMessageContaining("minHistory");
        assertThatThrownBy(() -> new PhiEjectionConfig(1, 1, 1, 10, 1, 1, null)).hasMessageContaining("childConfig");
    }

    @Test
    void shouldParseAServiceConfigAndFillInDefaults()
    {
        final PhiOutlierEjectionLoadBalancerProvider provider = new PhiOutlierEjectionLoadBalancerProvider(tracker);
        final ConfigOrError parsed = provider.parseLoadBalancingPolicyConfig(Map.of(
            "childPolicy", List.of(Map.of("round_robin", Map.of())),
            "intervalMs", 50.0,
            "maxEjectionPercent", 34.0));
        assertThat(parsed.getError()).isNull();
        final PhiEjectionConfig config = (PhiEjectionConfig)parsed.getConfig();
        assertThat(config.intervalNs()).isEqualTo(50_000_000L);
        assertThat(config.maxEjectionPercent()).isEqualTo(34);
        assertThat(config.baseEjectionNs()).isEqualTo(PhiEjectionConfig.DEFAULT_BASE_EJECTION.toNanos());
        assertThat(config.minHistory()).isEqualTo(PhiEjectionConfig.DEFAULT_MIN_HISTORY);
        assertThat(provider.getPolicyName()).isEqualTo("bb_rtt_outlier_ejection");
    }

    @Test
    void shouldReportAnInvalidServiceConfigAsAnErrorNamingTheField()
    {
        final PhiOutlierEjectionLoadBalancerProvider provider = new PhiOutlierEjectionLoadBalancerProvider(tracker);
        assertThat(provider.parseLoadBalancingPolicyConfig(Map.of()).getError().getDescription())
            .contains("childPolicy");
        final Map<String, Object> raw = new HashMap<>();
        raw.put("childPolicy", List.of(Map.of("round_robin", Map.of())));
        raw.put("maxEjectionPercent", 150.0);
        assertThat(provider.parseLoadBalancingPolicyConfig(raw).getError().getDescription())
            .contains("maxEjectionPercent");
        raw.put("maxEjectionPercent", "many");
        assertThat(provider.parseLoadBalancingPolicyConfig(raw).getError().getDescription())
            .contains("maxEjectionPercent");
        raw.put("maxEjectionPercent", 10.0);
        raw.put("childPolicy", List.of(Map.of("no_such_policy", Map.of())));
        assertThat(provider.parseLoadBalancingPolicyConfig(raw).getError()).isNotNull();
    }

    @Test
    void shouldRefuseAnInvalidPolicyName()
    {
        assertThatThrownBy(() -> new PhiOutlierEjectionLoadBalancerProvider(
            tracker, "Mixed_Case", System::nanoTime, EjectionListener.NONE, null)).hasMessageContaining("policyName");
    }
}
