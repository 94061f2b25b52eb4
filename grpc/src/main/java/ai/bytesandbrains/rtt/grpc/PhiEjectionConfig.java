package ai.bytesandbrains.rtt.grpc;

import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.util.GracefulSwitchLoadBalancer;

import java.time.Duration;
import java.util.Map;

/**
 * Configuration of {@link PhiOutlierEjectionLoadBalancer}. Immutable; thread-safe.
 *
 * @param intervalNs         how often φ is scanned and ejections decided, {@code > 0}.
 * @param baseEjectionNs     how long a backend stays out the first time, {@code > 0}; the n-th ejection in a
 *                           row lasts {@code n * baseEjectionNs}, up to {@code maxEjectionNs}.
 * @param maxEjectionNs      the longest ejection, {@code >= baseEjectionNs}.
 * @param maxEjectionPercent the most backends out at once, as a percentage of all, 0..100 (at least one may
 *                           always be ejected when there are two or more, and never all of them).
 * @param probationNs        how long a backend let back in must show a round trip before it may be
 *                           ejected again, {@code > 0}.
 * @param minHistory         inter-arrival times a backend's φ history must hold before the backend may be
 *                           ejected, {@code >= 1}: φ over a handful of gaps is noise (two calls that happened
 *                           to land 1 ms apart make the next 40 ms of quiet look like death).
 * @param childConfig        the child policy, as made by
 *                           {@link GracefulSwitchLoadBalancer#parseLoadBalancingPolicyConfig} or
 *                           {@link GracefulSwitchLoadBalancer#createLoadBalancingPolicyConfig}.
 */
public record PhiEjectionConfig(
    long intervalNs, long baseEjectionNs, long maxEjectionNs, int maxEjectionPercent, long probationNs,
    int minHistory, Object childConfig)
{
    /** Default scan interval: 100 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    /** Default first ejection: 5 s. */
    public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(5);
    /** Default longest ejection: 60 s. */
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofSeconds(60);
    /** Default share of backends that may be out: 50 %. */
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;
    /** Default probation: 1 s. */
    public static final Duration DEFAULT_PROBATION = Duration.ofSeconds(1);
    /** Default history needed before ejection: 20 gaps. */
    public static final int DEFAULT_MIN_HISTORY = 20;

    /**
     * Validates every parameter.
     *
     * @param intervalNs         how often φ is scanned, {@code > 0}.
     * @param baseEjectionNs     the first ejection's length, {@code > 0}.
     * @param maxEjectionNs      the longest ejection, {@code >= baseEjectionNs}.
     * @param maxEjectionPercent the most backends out at once, 0..100.
     * @param probationNs        the probation after an ejection, {@code > 0}.
     * @param minHistory         gaps a φ history must hold before ejection, {@code >= 1}.
     * @param childConfig        the child policy's parsed configuration.
     * @throws IllegalArgumentException naming the parameter that is out of range.
     */
    public PhiEjectionConfig
    {
        requirePositive(intervalNs, "interval");
        requirePositive(baseEjectionNs, "baseEjection");
        if (maxEjectionNs < baseEjectionNs)
        {
            throw new IllegalArgumentException("maxEjection must be >= baseEjection: " + maxEjectionNs + " ns");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100)
        {
            throw new IllegalArgumentException("maxEjectionPercent must be in 0..100: " + maxEjectionPercent);
        }
        requirePositive(probationNs, "probation");
        if (minHistory < 1)
        {
            throw new IllegalArgumentException("minHistory must be >= 1: " + minHistory);
        }
        if (childConfig == null)
        {
            throw new IllegalArgumentException("childConfig must not be null");
        }
    }

    /**
     * The defaults above with the given child. Any thread.
     *
     * @param childConfig the child policy's config, see the record's parameters.
     * @return the configuration.
     */
    public static PhiEjectionConfig defaults(final Object childConfig)
    {
        return new PhiEjectionConfig(
            DEFAULT_INTERVAL.toNanos(), DEFAULT_BASE_EJECTION.toNanos(), DEFAULT_MAX_EJECTION.toNanos(),
            DEFAULT_MAX_EJECTION_PERCENT, DEFAULT_PROBATION.toNanos(), DEFAULT_MIN_HISTORY, childConfig);
    }

    /**
     * The child config for {@code round_robin} from the default registry. Any thread.
     *
     * @return a config for {@link #childConfig()}.
     * @throws IllegalStateException when no {@code round_robin} provider is registered.
     */
    public static Object roundRobinChild()
    {
        final LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin");
        if (provider == null)
        {
            throw new IllegalStateException("no round_robin load balancer is registered");
        }
        return GracefulSwitchLoadBalancer.createLoadBalancingPolicyConfig(
            provider, provider.parseLoadBalancingPolicyConfig(Map.of()).getConfig());
    }

    /**
     * A copy with other timings; any thread.
     *
     * @param interval     see {@link #intervalNs()}.
     * @param baseEjection see {@link #baseEjectionNs()}.
     * @param maxEjection  see {@link #maxEjectionNs()}.
     * @param probation    see {@link #probationNs()}.
     * @return the copy.
     * @throws IllegalArgumentException naming the parameter that is out of range.
     */
    public PhiEjectionConfig withTimings(
        final Duration interval, final Duration baseEjection, final Duration maxEjection, final Duration probation)
    {
        return new PhiEjectionConfig(interval.toNanos(), baseEjection.toNanos(), maxEjection.toNanos(),
            maxEjectionPercent, probation.toNanos(), minHistory, childConfig);
    }

    /**
     * A copy with another ejection cap; any thread.
     *
     * @param percent see {@link #maxEjectionPercent()}.
     * @return the copy.
     * @throws IllegalArgumentException naming {@code maxEjectionPercent} when out of range.
     */
    public PhiEjectionConfig withMaxEjectionPercent(final int percent)
    {
        return new PhiEjectionConfig(
            intervalNs, baseEjectionNs, maxEjectionNs, percent, probationNs, minHistory, childConfig);
    }

    /**
     * Pure; any thread.
     *
     * @param consecutiveEjections how many times in a row the backend has been ejected, {@code >= 1}.
     * @return how long this ejection lasts.
     */
    public long ejectionTimeNs(final int consecutiveEjections)
    {
        final long n = Math.max(1, consecutiveEjections);
        return baseEjectionNs > maxEjectionNs / n ? maxEjectionNs : Math.min(maxEjectionNs, baseEjectionNs * n);
    }

    private static void requirePositive(final long valueNs, final String name)
    {
        if (valueNs <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0: " + valueNs + " ns");
        }
    }
}
