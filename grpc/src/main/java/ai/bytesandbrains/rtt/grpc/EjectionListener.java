package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.phi.PhiState;

import java.net.SocketAddress;

/**
 * Told what {@link PhiOutlierEjectionLoadBalancer} does, for logs, metrics and timelines. Called on the
 * channel's {@code SynchronizationContext}, one call at a time, in the order of the decisions; it must
 * return quickly and must not block. A {@link RuntimeException} it throws is logged to the channel's logger
 * and does not undo or stop the balancer's decisions.
 */
public interface EjectionListener
{
    /** What happened to a backend. */
    enum Event
    {
        /** Taken out of the pick: φ above the down threshold. */
        EJECTED,
        /** Its ejection time is over: back in the pick on probation, φ still high for want of traffic. */
        PROBATION,
        /** φ at or below the suspect threshold again: fully back, its ejection count forgiven. */
        RECOVERED,
        /** Still down when its probation ended: ejected again, for longer. */
        PROBATION_FAILED
    }

    /** A listener that ignores everything. */
    EjectionListener NONE = (event, address, site, phi, nowNs) ->
    {
    };

    /**
     * Called on the channel's synchronization context.
     *
     * @param event   what happened.
     * @param address the backend.
     * @param site    its site id.
     * @param phi     its φ when the decision was taken.
     * @param nowNs   the time of the decision on the balancer's clock.
     */
    void onEjectionEvent(Event event, SocketAddress address, long site, double phi, long nowNs);

    /**
     * A tracked backend's φ state changed, as reported by the balancer's periodic {@code scanPhi}. Called on
     * the channel's synchronization context; the default ignores it.
     *
     * @param address the backend.
     * @param site    its site id.
     * @param state   the new state.
     * @param phi     the φ that caused it.
     * @param nowNs   the scan's time.
     */
    default void onPhiTransition(
        final SocketAddress address, final long site, final PhiState state, final double phi, final long nowNs)
    {
    }
}
