package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.view.SiteView;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.util.ForwardingLoadBalancerHelper;
import io.grpc.util.ForwardingSubchannel;
import io.grpc.util.GracefulSwitchLoadBalancer;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Takes backends whose φ says Down out of a child policy's pick (for example {@code round_robin}) and lets
 * them back in, in the manner of gRPC's {@code OutlierDetectionLoadBalancer} but driven by the
 * {@link RttTracker}'s φ-accrual detector instead of success rates. φ grows with the silence since a
 * backend's last round trip, measured against its usual gap between round trips, so a backend that hangs
 * (connections up, no answers) is found as fast as one whose connections fail.
 *
 * <p><b>The cycle of one backend.</b>
 * <ol>
 *   <li><i>In the pick.</i> Every {@link PhiEjectionConfig#intervalNs() interval} the balancer runs
 *   {@link RttTracker#scanPhi} (which keeps the tracker's transitions and its local-pause detection going)
 *   and asks {@link RttTracker#isDown} of each backend. A Down backend is ejected if the caps allow.</li>
 *   <li><i>Ejected</i> for {@code n * baseEjection} (n = ejections in a row, up to {@code maxEjection}): its
 *   subchannels report {@code TRANSIENT_FAILURE} to the child policy, which stops picking them; the picker
 *   also skips any that a stale picker still returns. If its φ falls to Live meanwhile after a round trip
 *   completed since the ejection (another channel sharing the tracker reached it), it is back at once,
 *   {@code RECOVERED}. The round trip is required because with idle-aware φ
 *   ({@code RttTrackerConfig.Builder.idleAwarePhi}) a backend nobody calls reads φ 0.</li>
 *   <li><i>Probation.</i> A backend that gets no traffic never produces a round trip, so its φ can only
 *   grow: the detector alone would keep it out for ever. When its ejection time is over it is let back in
 *   ({@code PROBATION}) and gets its share of calls. Its first completed round trip brings φ to about 0:
 *   {@code RECOVERED} (a round trip since probation began is required, as above), and its ejection count is
 *   forgiven. If it is still Down when
 *   {@link PhiEjectionConfig#probationNs() probation} ends, it is ejected again for longer
 *   ({@code PROBATION_FAILED}). The probe costs the calls it receives during probation; the adaptive
 *   deadline keeps each of them short.</li>
 * </ol>
 *
 * <p><b>Never all, never on thin evidence.</b> A backend is ejected only when its φ history holds at least
 * {@link PhiEjectionConfig#minHistory() minHistory} gaps, and when, after it, fewer than all backends are out,
 * no more than {@code maxEjectionPercent} of them are out (one is always allowed with two or more), and at
 * least one backend left in the pick is Live: when every backend is silent, the client is idle, not the
 * backends dead.
 *
 * <p><b>What it needs.</b> Round trips must reach the tracker under the backends' site ids: install
 * {@link RttStreamTracerFactory} (for example through {@link AdaptiveDeadlineInterceptor}) on the same
 * channel. A backend that has never completed two round trips has no φ history and is never ejected.
 *
 * <p><b>Threading.</b> gRPC calls every method of a load balancer on the channel's
 * {@code SynchronizationContext}; the scan is scheduled there too, so the balancer's state needs no lock.
 * Pickers run on callers' threads and read one volatile flag per pick. Subchannels with more than one
 * address are left alone (as {@code OutlierDetectionLoadBalancer} does). With gRPC's experimental new
 * {@code pick_first} (health listeners) only the picker skips ejected backends.
 */
public final class PhiOutlierEjectionLoadBalancer extends LoadBalancer
{
    private final Helper helper;
    private final RttTracker tracker;
    private final LongSupplier nanoClock;
    private final double suspectPhi;
    private final double downPhi;
    private final EjectionListener listener;
    private final SynchronizationContext syncContext;
    private final GracefulSwitchLoadBalancer child;
    private final Map<SocketAddress, Backend> backends = new LinkedHashMap<>();
    private final Map<Long, Backend> backendsBySite = new HashMap<>();
    private PhiEjectionConfig config;
    private ScheduledHandle scanHandle;
    private long scheduledIntervalNs;
    private volatile int backendCount;
    private final PhiTransitionHandler transitionHandler = this::onTransition;
    private final SiteView view = new SiteView();

    /**
     * Called by {@link PhiOutlierEjectionLoadBalancerProvider} on the channel's synchronization context.
     *
     * @param helper    the channel's helper.
     * @param tracker   the tracker that the channel's {@link RttStreamTracerFactory} feeds.
     * @param nanoClock the tracker's clock.
     * @param listener  told of each decision.
     * @throws NullPointerException naming the parameter that is null.
     */
    public PhiOutlierEjectionLoadBalancer(
        final Helper helper, final RttTracker tracker, final LongSupplier nanoClock, final EjectionListener listener)
    {
        this.helper = requireNonNull(helper, "helper");
        this.tracker = requireNonNull(tracker, "tracker");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.listener = requireNonNull(listener, "listener");
        this.syncContext = helper.getSynchronizationContext();
        this.suspectPhi = tracker.config().suspectPhi();
        this.downPhi = tracker.config().downPhi();
        this.child = new GracefulSwitchLoadBalancer(new ChildHelper());
    }

    /**
     * On the synchronization context.
     */
    @Override
    public Status acceptResolvedAddresses(final ResolvedAddresses resolvedAddresses)
    {
        final Object raw = resolvedAddresses.getLoadBalancingPolicyConfig();
        if (!(raw instanceof PhiEjectionConfig))
        {
            final Status error = Status.UNAVAILABLE.withDescription("bb_rtt_outlier_ejection needs a PhiEjectionConfig");
            child.handleNameResolutionError(error);
            return error;
        }
        config = (PhiEjectionConfig)raw;

        final Set<SocketAddress> present = new HashSet<>();
        for (final EquivalentAddressGroup group : resolvedAddresses.getAddresses())
        {
            for (final SocketAddress address : group.getAddresses())
            {
                present.add(address);
                backends.computeIfAbsent(address, a -> new Backend(a, GrpcSiteIds.of(a)));
            }
        }
        backends.keySet().retainAll(present);
        backendsBySite.clear();
        for (final Backend backend : backends.values())
        {
            backendsBySite.put(backend.site, backend);
        }
        backendCount = backends.size();

        if (scanHandle == null || scheduledIntervalNs != config.intervalNs())
        {
            if (scanHandle != null)
            {
                scanHandle.cancel();
            }
            scheduledIntervalNs = config.intervalNs();
            scanHandle = syncContext.scheduleWithFixedDelay(
                this::scan, scheduledIntervalNs, scheduledIntervalNs, TimeUnit.NANOSECONDS,
                helper.getScheduledExecutorService());
        }
        return child.acceptResolvedAddresses(
            resolvedAddresses.toBuilder().setLoadBalancingPolicyConfig(config.childConfig()).build());
    }

    /**
     * On the synchronization context.
     */
    @Override
    public void handleNameResolutionError(final Status error)
    {
        child.handleNameResolutionError(error);
    }

    /**
     * On the synchronization context.
     */
    @Override
    public void requestConnection()
    {
        child.requestConnection();
    }

    /**
     * On the synchronization context: stops the scan and the child.
     */
    @Override
    public void shutdown()
    {
        if (scanHandle != null)
        {
            scanHandle.cancel();
            scanHandle = null;
        }
        child.shutdown();
    }

    /**
     * The periodic decision, on the synchronization context. Package-private for tests that drive it.
     */
    void scan()
    {
        final long nowNs = nanoClock.getAsLong();
        tracker.scanPhi(nowNs, transitionHandler);
        final PhiEjectionConfig cfg = config;
        for (final Backend backend : backends.values())
        {
            final double phi = tracker.phi(backend.site, nowNs);
            final boolean down = phi > downPhi;
            final boolean suspect = phi > suspectPhi;
            if (backend.ejected)
            {
                if (!suspect && answeredSince(backend, backend.ejectedAtNs))
                {
                    uneject(backend);
                    recovered(backend, phi, nowNs);
                }
                else if (nowNs - backend.ejectedAtNs >= cfg.ejectionTimeNs(backend.consecutiveEjections))
                {
                    uneject(backend);
                    backend.probation = true;
                    backend.probationStartNs = nowNs;
                    notify(EjectionListener.Event.PROBATION, backend, phi, nowNs);
                }
            }
            else if (backend.probation)
            {
                if (!suspect && answeredSince(backend, backend.probationStartNs))
                {
                    recovered(backend, phi, nowNs);
                }
                else if (down && nowNs - backend.probationStartNs >= cfg.probationNs() && mayEject(backend, nowNs))
                {
                    backend.probation = false;
                    eject(backend, nowNs);
                    notify(EjectionListener.Event.PROBATION_FAILED, backend, phi, nowNs);
                }
            }
            else if (down && hasHistory(backend, cfg) && mayEject(backend, nowNs))
            {
                eject(backend, nowNs);
                notify(EjectionListener.Event.EJECTED, backend, phi, nowNs);
            }
        }
    }

    private void onTransition(final long site, final PhiState state, final double phi)
    {
        final Backend backend = backendsBySite.get(site);
        if (backend != null)
        {
            try
            {
                listener.onPhiTransition(backend.address, site, state, phi, nanoClock.getAsLong());
            }
            catch (final RuntimeException e)
            {
                listenerFailed(e);
            }
        }
    }

    /**
     * A listener that throws must not reach the synchronization context: an uncaught exception there puts
     * the whole channel into panic mode. It is logged and the decision stands.
     */
    private void notify(final EjectionListener.Event event, final Backend backend, final double phi, final long nowNs)
    {
        try
        {
            listener.onEjectionEvent(event, backend.address, backend.site, phi, nowNs);
        }
        catch (final RuntimeException e)
        {
            listenerFailed(e);
        }
    }

    private void listenerFailed(final RuntimeException e)
    {
        helper.getChannelLogger().log(ChannelLogger.ChannelLogLevel.WARNING, "EjectionListener threw: {0}", e);
    }

    /**
     * A round trip completed after {@code sinceNs}: what recovery needs beyond a low φ, since with idle-aware φ
     * a backend that nobody calls (an ejected one, once its calls have ended) reads φ 0 without answering.
     */
    private boolean answeredSince(final Backend backend, final long sinceNs)
    {
        return tracker.readSite(backend.site, view) && view.hasBeenSeen() && view.lastSeenNs() - sinceNs > 0;
    }

    private boolean hasHistory(final Backend backend, final PhiEjectionConfig cfg)
    {
        return tracker.readSite(backend.site, view) && view.historyLength() >= cfg.minHistory();
    }

    /**
     * The caps, and evidence that the channel is busy: another backend in the pick is Live (φ at or below the
     * suspect threshold), so someone answered recently. When the client falls idle every φ grows at once and
     * the first to pass the down threshold finds the others Suspect at least, unless their usual gaps are
     * twice its own.
     */
    private boolean mayEject(final Backend candidate, final long nowNs)
    {
        final int total = backends.size();
        int ejected = 0;
        boolean liveLeft = false;
        for (final Backend backend : backends.values())
        {
            if (backend.ejected)
            {
                ejected++;
            }
            else if (backend != candidate && tracker.phi(backend.site, nowNs) <= suspectPhi)
            {
                liveLeft = true;
            }
        }
        final int allowed = Math.max(1, total * config.maxEjectionPercent() / 100);
        return liveLeft && ejected + 1 < total && ejected + 1 <= allowed;
    }

    private void eject(final Backend backend, final long nowNs)
    {
        backend.ejected = true;
        backend.ejectedAtNs = nowNs;
        backend.consecutiveEjections++;
        for (final EjectableSubchannel subchannel : backend.subchannels)
        {
            subchannel.eject();
        }
    }

    private void uneject(final Backend backend)
    {
        backend.ejected = false;
        for (final EjectableSubchannel subchannel : backend.subchannels)
        {
            subchannel.uneject();
        }
    }

    private void recovered(final Backend backend, final double phi, final long nowNs)
    {
        backend.probation = false;
        backend.consecutiveEjections = 0;
        notify(EjectionListener.Event.RECOVERED, backend, phi, nowNs);
    }

    private static <T> T requireNonNull(final T value, final String name)
    {
        if (value == null)
        {
            throw new NullPointerException(name);
        }
        return value;
    }

    /** One backend address and what the balancer decided about it; confined to the synchronization context. */
    private static final class Backend
    {
        final SocketAddress address;
        final long site;
        final List<EjectableSubchannel> subchannels = new ArrayList<>(2);
        boolean ejected;
        long ejectedAtNs;
        int consecutiveEjections;
        boolean probation;
        long probationStartNs;

        Backend(final SocketAddress address, final long site)
        {
            this.address = address;
            this.site = site;
        }
    }

    /** Hands the child policy ejectable subchannels and wraps its pickers. */
    private final class ChildHelper extends ForwardingLoadBalancerHelper
    {
        @Override
        protected Helper delegate()
        {
            return helper;
        }

        @Override
        public Subchannel createSubchannel(final CreateSubchannelArgs args)
        {
            final boolean healthListener = args.getOption(LoadBalancer.HEALTH_CONSUMER_LISTENER_ARG_KEY) != null;
            final EjectableSubchannel subchannel = new EjectableSubchannel(helper.createSubchannel(args), !healthListener);
            subchannel.attach(singleAddress(args.getAddresses()));
            return subchannel;
        }

        @Override
        public void updateBalancingState(final ConnectivityState newState, final SubchannelPicker newPicker)
        {
            helper.updateBalancingState(newState, new EjectionPicker(newPicker, backendCount));
        }
    }

    private static SocketAddress singleAddress(final List<EquivalentAddressGroup> groups)
    {
        if (groups.size() == 1 && groups.get(0).getAddresses().size() == 1)
        {
            return groups.get(0).getAddresses().get(0);
        }
        return null;
    }

    /**
     * A subchannel whose state, as the child policy sees it, is {@code TRANSIENT_FAILURE} while its backend is
     * ejected; the real state is remembered and replayed on return. The flag is volatile for the pickers.
     */
    private final class EjectableSubchannel extends ForwardingSubchannel
    {
        private final Subchannel delegate;
        private final boolean interceptState;
        private Backend backend;
        private SubchannelStateListener childListener;
        private ConnectivityStateInfo lastRealState;
        private volatile boolean ejected;

        EjectableSubchannel(final Subchannel delegate, final boolean interceptState)
        {
            this.delegate = delegate;
            this.interceptState = interceptState;
        }

        @Override
        protected Subchannel delegate()
        {
            return delegate;
        }

        void attach(final SocketAddress address)
        {
            backend = address == null ? null : backends.get(address);
            if (backend != null)
            {
                backend.subchannels.add(this);
                if (backend.ejected)
                {
                    eject();
                }
            }
        }

        void detach()
        {
            if (backend != null)
            {
                backend.subchannels.remove(this);
                backend = null;
            }
        }

        @Override
        public void start(final SubchannelStateListener listener)
        {
            if (!interceptState)
            {
                super.start(listener);
                return;
            }
            childListener = listener;
            super.start(state ->
            {
                lastRealState = state;
                if (!ejected)
                {
                    childListener.onSubchannelState(state);
                }
            });
            if (ejected)
            {
                reportEjected();
            }
        }

        @Override
        public void updateAddresses(final List<EquivalentAddressGroup> addresses)
        {
            detach();
            attach(singleAddress(addresses));
            super.updateAddresses(addresses);
        }

        @Override
        public void shutdown()
        {
            detach();
            super.shutdown();
        }

        void eject()
        {
            ejected = true;
            if (interceptState && childListener != null)
            {
                reportEjected();
            }
        }

        void uneject()
        {
            ejected = false;
            if (interceptState && childListener != null && lastRealState != null)
            {
                childListener.onSubchannelState(lastRealState);
            }
        }

        boolean isEjected()
        {
            return ejected;
        }

        private void reportEjected()
        {
            childListener.onSubchannelState(ConnectivityStateInfo.forTransientFailure(
                Status.UNAVAILABLE.withDescription("ejected by bb-rtt: phi above the down threshold")));
        }
    }

    /**
     * Delegates to the child's picker and picks again, at most once per backend, while the pick lands on an
     * ejected backend (a picker made before the ejection, or a child policy that ignores subchannel states).
     * If every try lands on one, the last pick stands: ejection never fails a call by itself.
     * Thread-safe; allocation-free beyond the child's picks.
     */
    private static final class EjectionPicker extends SubchannelPicker
    {
        private final SubchannelPicker delegate;
        private final int maxRepicks;

        EjectionPicker(final SubchannelPicker delegate, final int maxRepicks)
        {
            this.delegate = delegate;
            this.maxRepicks = maxRepicks;
        }

        @Override
        public PickResult pickSubchannel(final PickSubchannelArgs args)
        {
            PickResult result = delegate.pickSubchannel(args);
            for (int i = 0; i < maxRepicks && isEjected(result); i++)
            {
                result = delegate.pickSubchannel(args);
            }
            return result;
        }

        private static boolean isEjected(final PickResult result)
        {
            return result.getSubchannel() instanceof EjectableSubchannel subchannel && subchannel.isEjected();
        }
    }
}
