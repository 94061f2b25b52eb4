/**
 * Local-pause awareness: keeping the φ-accrual failure detector from suspecting a peer because
 * <em>this</em> process was stalled.
 *
 * <p>While a stop-the-world GC or VM steal stalls the process, no heartbeat can be processed, so a site's
 * silence over that stall is explained locally, not by the peer. The pieces:
 * <ul>
 *     <li>{@link ai.bytesandbrains.rtt.internal.LocalPauseLog}: a lock-free, allocation-free log of the most
 *     recent pause intervals, measuring the union of those that overlap a window, so that a pause reported
 *     by two sources (or twice) counts once;</li>
 *     <li>{@link ai.bytesandbrains.rtt.pause.GcPauseMonitor}: records stop-the-world GC pauses from the
 *     JVM's GC notifications (off the hot path);</li>
 *     <li>{@link ai.bytesandbrains.rtt.pause.ScanGapDetector}: records stalls of any cause, seen as a gap in
 *     the scanning thread's own schedule;</li>
 *     <li>{@link ai.bytesandbrains.rtt.pause.NanoTimeGate}: lets GC pauses, timed with
 *     {@code System.nanoTime()}, into a tracker's log only while its scans run on that clock;</li>
 *     <li>{@link ai.bytesandbrains.rtt.pause.LocalPauseSink}: what both sources write to, implemented by the
 *     log.</li>
 * </ul>
 *
 * <h2>Times from outside</h2>
 * Scan times and reported pauses come from callers and may be wrong. The pieces bound what a wrong one can
 * do: the log refuses pauses longer than a plausibility bound; the detector takes a gap beyond it, or a
 * scan far behind the latest, for a bad read (counted, not a pause); a pause is counted for a caller only
 * once the caller's time has reached its end, and every plausible scan cuts the pauses that reach past its
 * time. So a single bad read delays the detection of a dead peer by at most about the detector's minimum
 * pause and one scan interval, however far off the read is.
 *
 * <p>The tracker computes φ for a site last seen at {@code lastSeenNs} from
 * {@code elapsed' = elapsed - log.pausedNsEndedWithin(lastSeenNs, nowNs)}, and skips the call unless
 * {@code log.latestEndNs() > lastSeenNs} (one volatile read), so the common path costs nothing more.
 *
 * <h2>Trade-off</h2>
 * Subtracting a pause delays the detection of a peer that really died during or just before it by at most
 * the length of the pauses overlapping its silence: the pause is taken out of the evidence, never added.
 * A spurious pause (a scan thread descheduled without the whole process stalling, a GC notification
 * placed late by its delivery delay) costs the same bounded delay. In exchange, a stall no longer turns
 * into suspicion of every peer at once when the process resumes. Every way the pieces can lose a pause
 * (a full log, a slot being rewritten while read, a sub-millisecond GC) makes the adjustment smaller, so
 * the detector is never more lenient than the pauses actually reported.
 */
package ai.bytesandbrains.rtt.pause;

