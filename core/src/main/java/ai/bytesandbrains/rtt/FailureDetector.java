package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.phi.PhiTransitionHandler;
import ai.bytesandbrains.rtt.pause.LocalPauseSink;
import ai.bytesandbrains.rtt.pause.NanoTimeGate;
import ai.bytesandbrains.rtt.view.SiteView;

/**
 * The φ-accrual failure detector a tracker offers: φ of a site, its thresholds, scans that report
 * changes of state, and the counters of its local-pause awareness. {@link RttTracker} implements it;
 * its φ is the one its {@code TrackerReader} computes, so a file's reader sees the same. Every method
 * throws {@link IllegalStateException} once the tracker is closed.
 */
public interface FailureDetector extends LocalPauseSink
{
    /**
     * φ of {@code site} at {@code nowNs}: {@code (now - lastSeen - paused) / (mean * ln 10)}, where
     * {@code paused} is how much of the silence {@code [lastSeen, now)} this process is known to have been
     * paused (local-pause awareness, on by default; 0 when off or when no pause ended after last-seen).
     * Thread-safe, lock-free, allocation-free; O(1) unless a pause overlaps the silence, then
     * O(pause log capacity²). Racing heartbeats never make it NaN, infinite or negative.
     *
     * <p><b>Times from outside.</b> φ is always finite and {@code >= 0}, whatever {@code nowNs} is. A
     * negative {@code nowNs} is rejected and counted. A {@code nowNs} before the site's last-seen time (a
     * stale or backwards clock read) is a silence of 0: φ 0. Only pauses that ended at or before
     * {@code nowNs} are discounted: a pause reaching past the caller's own time, such as one recorded from
     * a bad future clock read, explains none of that caller's silence. Apart from counting a rejected
     * {@code nowNs}, this call changes no state.
     *
     * @param site  the site.
     * @param nowNs the current time on the observe clock, {@code >= 0}.
     * @return φ {@code >= 0}; 0 for an unknown or never-seen site, an empty history, or a rejected
     * (negative, counted) {@code nowNs}.
     * @throws IllegalStateException after {@code close()}.
     */
    double phi(long site, long nowNs);

    /**
     * Thread-safe, lock-free, allocation-free.
     *
     * @param site  the site.
     * @param nowNs the current time, {@code >= 0}.
     * @return {@code true} when {@code phi(site, nowNs) > suspectPhi}; same contract as {@link #phi}.
     * @throws IllegalStateException after {@code close()}.
     */
    boolean isSuspect(long site, long nowNs);

    /**
     * Thread-safe, lock-free, allocation-free.
     *
     * @param site  the site.
     * @param nowNs the current time, {@code >= 0}.
     * @return {@code true} when {@code phi(site, nowNs) > downPhi}; same contract as {@link #phi}.
     * @throws IllegalStateException after {@code close()}.
     */
    boolean isDown(long site, long nowNs);

    /**
     * Classify every tracked site at {@code nowNs} and report each site whose state differs from the
     * one last reported for it (all start {@link PhiState#LIVE}). With local-pause awareness on, a scan
     * first compares its time with the previous scan's: a gap longer than both
     * {@link RttTrackerConfig#localPauseMinNs()} and twice the usual interval between scans is taken for a
     * stall of this process, and the silence it explains is discounted from φ (see {@link #phi}). Call
     * it on a regular schedule for that to work. Thread-safe, lock-free,
     * allocation-free: the remembered state is changed by a CAS and only the thread whose CAS succeeds
     * reports, so concurrent scans report each change exactly once. The handler runs on this thread;
     * if it throws, the exception propagates, that transition counts as reported and the remaining
     * sites wait for the next scan. Concurrent scans report each change once, but their handler calls
     * are not ordered with each other: a consumer that needs the current state reads
     * {@link SiteView#lastPhiState()}. A verdict computed before a heartbeat of the same site landed is
     * dropped, not reported; one computed just before a heartbeat that lands after the CAS is reported
     * and corrected by the next scan.
     *
     * <h4>Times from outside</h4>
     * One bad clock read (a bug, a test, a switch of clock) must neither switch failure detection off nor
     * report every peer down. With local-pause awareness on (the default), with {@code min} =
     * {@link RttTrackerConfig#localPauseMinNs()} and {@code max} = {@link RttTrackerConfig#maxLocalPauseNs()}:
     * <ul>
     *   <li>a gap since the previous scan longer than {@code max} (an hour ahead, {@link Long#MAX_VALUE})
     *   is not a pause: the scan is counted in {@link #implausibleScanCount()}, reports nothing, and
     *   becomes the new baseline;</li>
     *   <li>a {@code nowNs} at most {@code min} before the latest scan's (a concurrent scanner got there
     *   first) is a late scan: it is classified normally, with no gap judged;</li>
     *   <li>a {@code nowNs} more than {@code min} before the latest scan's (a backwards clock, or the
     *   first good read after a bad future one) is counted and reports nothing, until a scan at least
     *   {@code min} after the first such read, still far behind the latest, confirms that the clock runs
     *   there: the latest scan was the bad read, the baseline moves back, any pause recorded from it is cut
     *   at the first good read, and scans report again. A bad future read thus mutes reports for about
     *   {@code min} plus one scan interval;</li>
     *   <li>a pause never reaches past a time a later scan observed: every scan not counted as implausible
     *   cuts each pause (scan gap, GC, or {@link #recordLocalPause}) that ends after its {@code nowNs} at
     *   {@code nowNs};
     *   and a pause discounts silence only once {@code nowNs} has reached its end (see {@link #phi}), so
     *   a pause recorded from a future read never hides a peer that dies meanwhile.</li>
     * </ul>
     * A negative {@code nowNs} is rejected and counted whether awareness is on or off; with awareness off
     * the scan classifies at whatever {@code nowNs} it is given, as the reference does. The GC pause feed
     * needs {@code nowNs} on {@link System#nanoTime()}'s clock; each plausible scan checks this (see
     * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)} for the clock rule and
     * {@link #gcClockMismatchCount()}).
     *
     * @param nowNs   the current time, {@code >= 0}.
     * @param handler receives the transitions.
     * @return number of transitions reported; 0 for a rejected (negative, counted) or implausible
     * (counted) {@code nowNs}.
     * @throws IllegalStateException after {@code close()}.
     */
    int scanPhi(long nowNs, PhiTransitionHandler handler);

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return scans whose {@code nowNs} was implausible and that reported nothing (see {@link #scanPhi});
     * 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@code close()}.
     */
    long implausibleScanCount();

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return scans whose {@code nowNs} was more than {@link NanoTimeGate#DEFAULT_TOLERANCE_NS} away from
     * {@link System#nanoTime()}: each stops the GC pause feed until a scan agrees again (the clock rule of
     * {@link RttTrackerConfig.Builder#localPauseAwareness(boolean)}); 0 when local-pause awareness is off.
     * @throws IllegalStateException after {@code close()}.
     */
    long gcClockMismatchCount();

    /**
     * Thread-safe, lock-free; a moment's value.
     *
     * @return whether GC pauses are fed to this tracker now: awareness on, and no scan yet or the latest
     * plausible scan on {@link System#nanoTime()}'s clock.
     * @throws IllegalStateException after {@code close()}.
     */
    boolean isGcPauseFeedOpen();

    /**
     * Tell the tracker that this process was paused over {@code [startNs, endNs)} on the observe clock,
     * for a cause it cannot see itself (a VM migration, a debugger, a scheduler's own stall detector).
     * φ no longer counts that interval as silence of any site, from the time {@code endNs} is reached
     * (see {@link #phi}). Pauses reported twice, or also seen as a GC pause or a scan gap, count once.
     * A pause that ends after a present confirmed by later scans is cut (see {@link #scanPhi}).
     * Thread-safe, lock-free, allocation-free.
     *
     * @param startNs start of the pause.
     * @param endNs   end of the pause, after {@code startNs}, at most
     *                {@link RttTrackerConfig#maxLocalPauseNs()} after it.
     * @return {@code false} when local-pause awareness is off, or the interval is empty, inverted or longer
     * than {@code maxLocalPauseNs} (counted in {@code rejectedLocalPauseCount()}, never thrown).
     * @throws IllegalStateException after {@code close()}.
     */
    @Override
    boolean recordLocalPause(long startNs, long endNs);
}
