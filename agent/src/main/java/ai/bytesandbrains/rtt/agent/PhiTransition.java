package ai.bytesandbrains.rtt.agent;

import ai.bytesandbrains.rtt.phi.PhiState;

/**
 * One φ state change of a site, as published by {@link PhiScanAgent}. Immutable and so thread-safe: one
 * instance is shared by every subscriber's queue and read on their threads (the queue's release/acquire
 * publication hands it over).
 *
 * @param site     the site.
 * @param oldState the state the agent last published for the site ({@link PhiState#LIVE} for a site it
 *                 has published nothing for); see {@link PhiScanAgent} for when it can differ from the
 *                 tracker's own previous state.
 * @param newState the state the scan reported.
 * @param phi      the φ that caused it.
 * @param timeNs   the scan's time on the agent's clock, {@link System#nanoTime()}'s base by default.
 */
public record PhiTransition(long site, PhiState oldState, PhiState newState, double phi, long timeNs)
{
}
