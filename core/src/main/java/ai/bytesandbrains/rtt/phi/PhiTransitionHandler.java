package ai.bytesandbrains.rtt.phi;

/**
 * Receives the φ state transitions found by {@code RttTracker.scanPhi}. Called on the scanning thread,
 * synchronously, once per transition; an implementation that keeps no state of its own is safe to
 * share between scanning threads.
 */
@FunctionalInterface
public interface PhiTransitionHandler
{
    /**
     * A site's φ state differs from the state last reported for it. Called on the scanning thread,
     * synchronously; concurrent scans may call it concurrently.
     *
     * @param site     the site.
     * @param newState the state now reported; it is remembered before this call.
     * @param phi      the φ that caused it (for {@link PhiState#LIVE}, the current φ; the reference's
     *                 {@code Live} transition carries none).
     */
    void onTransition(long site, PhiState newState, double phi);
}
