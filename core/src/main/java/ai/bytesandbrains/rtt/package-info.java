/**
 * bb-rtt: per-peer round-trip-time tracking, adaptive deadline budgets and φ-accrual failure detection,
 * lock-free and allocation-free, with the whole state off-heap in one Agrona buffer.
 *
 * <p>Start at {@link ai.bytesandbrains.rtt.RttTracker} (the API and its threading contract), built from
 * {@link ai.bytesandbrains.rtt.RttTrackerConfig}; {@link ai.bytesandbrains.rtt.internal.TrackerLayout} draws the
 * buffer. The sub-packages hold the pieces: {@code ema} (the one-word EMA), {@code phi} (φ and the
 * heartbeat history), {@code state} (the state as memory, its reader and record descriptors), {@code internal}
 * (not API: the record tables, the EMA cell, the pause log, the layout), {@code view} (readings and
 * snapshots), {@code file} (persistence), {@code inflight}, {@code chain} and {@code wire} (connecting
 * the tracker to an RPC stack).
 *
 * <h2>Deliberate differences from the reference</h2>
 * Times are {@code long} nanoseconds in {@code 0..2^63-1} (D1). "Never seen" is an explicit state, so
 * {@code nowNs = 0} is a valid timestamp (D2). A {@code nowNs} older than the site's last-seen time
 * still feeds every EMA but records no inter-arrival time and does not move last-seen backwards (D3).
 * EMA values are exact below 2^27 ns and within 2^-27 relative above, saturating at
 * {@link ai.bytesandbrains.rtt.ema.EmaWord#MAX_VALUE_NS} (D5). The φ mean comes from an exact running sum, O(1)
 * (D6); an
 * inter-arrival time above {@link ai.bytesandbrains.rtt.phi.HeartbeatHistory#maxValueNs(int)} is clamped to it
 * so the sum fits.
 * Tables have fixed capacities (D7). The global and chain priors are striped by writer thread
 * ({@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#priorStripes(int)}): with one writing thread
 * they are the reference's; with several writing at once, their counts stay exact and their EMA is that of
 * the stripe that published last (docs/semantics.md).
 *
 * <h2>Beyond the reference</h2>
 * Sites can be {@linkplain ai.bytesandbrains.rtt.RttTracker#evictSite evicted}, alone or {@linkplain
 * ai.bytesandbrains.rtt.RttTracker#evictIdle when idle}, and their records reused
 * while other threads work. φ discounts silence explained by a local pause of this process (a gap in the
 * scan schedule, a stop-the-world GC pause, or {@link ai.bytesandbrains.rtt.RttTracker#recordLocalPause}); turn
 * it off with
 * {@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#localPauseAwareness(boolean)} for the reference's plain
 * φ. A bad clock
 * read cannot make it blind: implausible scan times are counted and ignored, and no pause reaches past a
 * time a later call observed (see {@link ai.bytesandbrains.rtt.RttTracker#scanPhi} and {@link
 * ai.bytesandbrains.rtt.RttTracker#phi}). GC pauses follow the clock rule of
 * {@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#localPauseAwareness(boolean)}: they reach a tracker only
 * while its scans
 * run on {@link System#nanoTime()}'s clock.
 *
 * <p>A caller that talks to one peer again and again can resolve it once into a
 * {@link ai.bytesandbrains.rtt.SiteHandle} ({@link ai.bytesandbrains.rtt.RttTracker#siteHandle}): observe,
 * estimate and φ through it skip the site's lookup, with the id calls' results, and eviction never makes one
 * stale for good (a call through it resolves the id again).
 *
 * <p>Three options, each stored in a tracker file's header so its readers compute what the writer does:
 * the budget multiplier K ({@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#budgetMultiplier(int)},
 * default 4, the reference's); an acceptable pause forgiven before φ accrues
 * ({@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#acceptablePauseNs(long)}, default 0); and idle-aware
 * φ ({@link ai.bytesandbrains.rtt.RttTrackerConfig.Builder#idleAwarePhi(boolean)}, default off), where silence
 * accrues only while a request marked by {@link ai.bytesandbrains.rtt.RttTracker#requestStarted} is
 * outstanding. With all three at their defaults, budgets and φ are the reference's.
 *
 */
package ai.bytesandbrains.rtt;

