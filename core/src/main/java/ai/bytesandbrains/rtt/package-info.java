/**
 * bb-rtt: per-peer round-trip-time tracking, adaptive deadline budgets and φ-accrual failure detection,
 * lock-free and allocation-free, with the whole state off-heap in one Agrona buffer.
 *
 * <p>Start at {@link ai.bytesandbrains.rtt.RttTracker} (the API and its threading contract), built from
 * {@link ai.bytesandbrains.rtt.RttTrackerConfig}; {@link ai.bytesandbrains.rtt.TrackerLayout} draws the
 * buffer. The sub-packages hold the pieces: {@code ema} (the one-word EMA), {@code phi} (φ and the
 * heartbeat history), {@code table} (the lock-free record tables), {@code view} (readings and
 * snapshots), {@code file} (persistence), {@code inflight}, {@code chain} and {@code wire} (connecting
 * the tracker to an RPC stack).
 */
package ai.bytesandbrains.rtt;
