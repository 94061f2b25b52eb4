/**
 * φ-accrual failure detection: {@link ai.bytesandbrains.rtt.phi.PhiAccrual} (φ and classification,
 * pure), {@link ai.bytesandbrains.rtt.phi.HeartbeatHistory} (a lock-free ring of inter-arrival times
 * with an exact running sum, so φ is O(1)), the states and the scan handler.
 */
package ai.bytesandbrains.rtt.phi;
