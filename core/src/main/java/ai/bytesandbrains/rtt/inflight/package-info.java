/**
 * Requests in flight on one event loop: {@link ai.bytesandbrains.rtt.inflight.InFlightTracker} sets each
 * request's deadline from the tracker's budget, feeds responses back as round trips, reports timeouts
 * and applies Karn's rule to retried and hedged requests; allocation-free per request.
 */
package ai.bytesandbrains.rtt.inflight;
