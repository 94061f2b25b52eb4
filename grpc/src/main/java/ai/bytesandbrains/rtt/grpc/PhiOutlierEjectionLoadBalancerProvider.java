package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.grpc.util.GracefulSwitchLoadBalancer;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Provides {@link PhiOutlierEjectionLoadBalancer} under a policy name ({@value #DEFAULT_POLICY_NAME} by
 * default). It is bound to one {@link RttTracker}, so it is registered by the application, not discovered:
 * {@code LoadBalancerRegistry.getDefaultRegistry().register(provider)}, then selected by service config:
 *
 * <pre>{@code
 * {"loadBalancingConfig": [{"bb_rtt_outlier_ejection": {
 *     "childPolicy": [{"round_robin": {}}],
 *     "intervalMs": 100, "baseEjectionMs": 5000, "maxEjectionMs": 60000,
 *     "maxEjectionPercent": 50, "probationMs": 1000, "minHistory": 20}}]}
 * }</pre>
 *
 * Every field but {@code childPolicy} is optional; an absent one takes the provider's default. Give each
 * tracker its own policy name when several are used in one process.
 *
 * <p>Thread-safe: gRPC may call it from any channel's synchronization context.
 */
public final class PhiOutlierEjectionLoadBalancerProvider extends LoadBalancerProvider
{
    /** The policy name used when none is given. */
    public static final String DEFAULT_POLICY_NAME = "bb_rtt_outlier_ejection";

    private final RttTracker tracker;
    private final String policyName;
    private final LongSupplier nanoClock;
    private final EjectionListener listener;
    private final PhiEjectionConfig defaults;

    /**
     * With {@value #DEFAULT_POLICY_NAME}, {@link System#nanoTime()}, no listener and the
     * {@link PhiEjectionConfig} defaults.
     *
     * @param tracker the tracker the channels' tracers feed.
     */
    public PhiOutlierEjectionLoadBalancerProvider(final RttTracker tracker)
    {
        this(tracker, DEFAULT_POLICY_NAME, System::nanoTime, EjectionListener.NONE, null);
    }

    /**
     * @param tracker    the tracker the channels' tracers feed.
     * @param policyName the name service configs select it by, non-empty, lower case.
     * @param nanoClock  the tracker's clock.
     * @param listener   told of every ejection decision.
     * @param defaults   timings used where the service config gives none, or {@code null} for the
     *                   {@link PhiEjectionConfig} defaults (its child config is not used).
     * @throws NullPointerException     naming the parameter that is null.
     * @throws IllegalArgumentException naming {@code policyName} when it is empty or not lower case.
     */
    public PhiOutlierEjectionLoadBalancerProvider(
        final RttTracker tracker, final String policyName, final LongSupplier nanoClock,
        final EjectionListener listener, final PhiEjectionConfig defaults)
    {
        if (tracker == null || policyName == null || nanoClock == null || listener == null)
        {
            throw new NullPointerException(tracker == null ? "tracker" : policyName == null ? "policyName"
                : nanoClock == null ? "nanoClock" : "listener");
        }
        if (policyName.isEmpty() || !policyName.equals(policyName.toLowerCase(java.util.Locale.ROOT)))
        {
            throw new IllegalArgumentException("policyName must be non-empty and lower case: " + policyName);
        }
        this.tracker = tracker;
        this.policyName = policyName;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.defaults = defaults != null ? defaults : PhiEjectionConfig.defaults(Boolean.TRUE);
    }

    /**
     * Pure; any thread.
     *
     * @return {@code true}.
     */
    @Override
    public boolean isAvailable()
    {
        return true;
    }

    /**
     * Pure; any thread.
     *
     * @return 5, gRPC's usual priority.
     */
    @Override
    public int getPriority()
    {
        return 5;
    }

    /**
     * Pure; any thread.
     *
     * @return the name service configs select this policy by.
     */
    @Override
    public String getPolicyName()
    {
        return policyName;
    }

    /**
     * Called by gRPC on a channel's synchronization context.
     *
     * @param helper the channel's helper.
     * @return a balancer bound to this provider's tracker, clock and listener.
     */
    @Override
    public LoadBalancer newLoadBalancer(final LoadBalancer.Helper helper)
    {
        return new PhiOutlierEjectionLoadBalancer(helper, tracker, nanoClock, listener);
    }

    /**
     * Called by gRPC for each service config; thread-safe.
     *
     * @param rawConfig the policy's JSON object, as gRPC parsed it.
     * @return a {@link PhiEjectionConfig}, or an error naming the field at fault.
     */
    @Override
    public ConfigOrError parseLoadBalancingPolicyConfig(final Map<String, ?> rawConfig)
    {
        try
        {
            final Object childPolicy = rawConfig.get("childPolicy");
            if (!(childPolicy instanceof List<?> list) || list.isEmpty())
            {
                return ConfigOrError.fromError(Status.UNAVAILABLE.withDescription(
                    policyName + ": childPolicy must be a non-empty list of policies"));
            }
            @SuppressWarnings("unchecked")
            final ConfigOrError child =
                GracefulSwitchLoadBalancer.parseLoadBalancingPolicyConfig((List<Map<String, ?>>)childPolicy);
            if (child.getError() != null)
            {
                return child;
            }
            return ConfigOrError.fromConfig(new PhiEjectionConfig(
                millis(rawConfig, "intervalMs", defaults.intervalNs()),
                millis(rawConfig, "baseEjectionMs", defaults.baseEjectionNs()),
                millis(rawConfig, "maxEjectionMs", defaults.maxEjectionNs()),
                (int)number(rawConfig, "maxEjectionPercent", defaults.maxEjectionPercent()),
                millis(rawConfig, "probationMs", defaults.probationNs()),
                (int)number(rawConfig, "minHistory", defaults.minHistory()),
                child.getConfig()));
        }
        catch (final RuntimeException e)
        {
            return ConfigOrError.fromError(
                Status.UNAVAILABLE.withCause(e).withDescription(policyName + ": " + e.getMessage()));
        }
    }

    private static long millis(final Map<String, ?> raw, final String key, final long defaultNs)
    {
        final Object value = raw.get(key);
        return value == null ? defaultNs : Math.round(number(raw, key, 0) * 1_000_000d);
    }

    private static double number(final Map<String, ?> raw, final String key, final double defaultValue)
    {
        final Object value = raw.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        if (!(value instanceof Number number))
        {
            throw new IllegalArgumentException(key + " must be a number: " + value);
        }
        return number.doubleValue();
    }
}
