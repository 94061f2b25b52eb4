package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.phi.PhiAccrual;

/**
 * Validated, immutable configuration of an {@link RttTracker}. Build it with {@link #builder()}; every
 * invalid value is refused there with an {@link IllegalArgumentException} naming the parameter (D4).
 *
 * @param siteCapacity      sites tracked at most (site aggregates, φ histories).
 * @param edgeCapacity      per-edge EMAs {@code (site, chainId, hopIndex)} tracked at most.
 * @param chainCapacity     chain priors tracked at most.
 * @param reportedCapacity  reverse-path reports {@code (fromSite, nextHop, chainId)} stored at most.
 * @param historyCapacity   inter-arrival times kept per site for φ.
 * @param suspectPhi        φ above which a site is suspect.
 * @param downPhi           φ above which a site is down.
 * @param emaShifts         gains of site, edge and chain EMAs.
 * @param globalPriorShifts gains of the global prior.
 * @param localPauseAwareness whether φ discounts silence that a local pause of this process explains:
 *                          pauses seen as gaps in the scanning thread's schedule, reported by the JVM's
 *                          GC notifications or given to {@link RttTracker#recordLocalPause}. Not part of
 *                          the buffer layout.
 * @param localPauseMinNs   shortest gap between two scans taken for a local pause (a gap must also exceed
 *                          twice the usual interval between scans); also how far a scan's time may lag the
 *                          latest scan's and still count as a late scan rather than an implausible time.
 * @param maxLocalPauseNs   longest local pause believed, at least {@code localPauseMinNs}: a longer gap
 *                          between scans, or a longer pause given to {@link RttTracker#recordLocalPause} or
 *                          reported by the GC feed, is taken for a bad clock read, not a pause (see
 *                          {@link RttTracker#scanPhi}). A real stall longer than this is not discounted.
 * @param budgetMultiplier  K of every deadline budget {@code srtt + K * rttvar}: estimate tiers, chain
 *                          budgets and a file's readers; 4 is RFC 6298's and the reference's.
 * @param idleAwarePhi      whether φ's silence is the time requests to the site spent outstanding since its
 *                          last answer (see {@link RttTracker#requestStarted}); {@code false}, the default, is
 *                          the reference's plain φ, where silence alone accrues.
 * @param acceptablePauseNs silence forgiven before φ accrues, as Akka's and Hazelcast's acceptable heartbeat
 *                          pause: subtracted from every silence (never below 0) in both φ modes; 0 by default.
 * @param priorStripes      stripes of the global and chain priors, a power of two in 1..{@value #MAX_PRIOR_STRIPES}:
 *                          a thread writes the priors without a locked instruction when it owns its stripe
 *                          (see docs/concurrency.md); part of the buffer layout.
 */
public record RttTrackerConfig(
    int siteCapacity,
    int edgeCapacity,
    int chainCapacity,
    int reportedCapacity,
    int historyCapacity,
    double suspectPhi,
    double downPhi,
    EmaShifts emaShifts,
    EmaShifts globalPriorShifts,
    boolean localPauseAwareness,
    long localPauseMinNs,
    long maxLocalPauseNs,
    int budgetMultiplier,
    boolean idleAwarePhi,
    long acceptablePauseNs,
    int priorStripes)
{
    /** Default number of sites. */
    public static final int DEFAULT_SITE_CAPACITY = 1024;
    /** Default number of per-edge EMAs. */
    public static final int DEFAULT_EDGE_CAPACITY = 4096;
    /** Default number of chain priors. */
    public static final int DEFAULT_CHAIN_CAPACITY = 256;
    /** Default number of reverse-path reports. */
    public static final int DEFAULT_REPORTED_CAPACITY = 4096;
    /** The reference's default history capacity. */
    public static final int DEFAULT_HISTORY_CAPACITY = 1000;
    /** Default for {@link #localPauseMinNs()}: 500 ms, above a failure detector's usual scan interval. */
    public static final long DEFAULT_LOCAL_PAUSE_MIN_NS = 500_000_000L;
    /**
     * Default for {@link #maxLocalPauseNs()}: 60 s. Longer than any GC pause or VM hiccup a live service
     * survives, far shorter than the hour-ahead clock reads it guards against.
     */
    public static final long DEFAULT_MAX_LOCAL_PAUSE_NS = 60_000_000_000L;
    /** The reference's budget multiplier K: {@code budget = srtt + 4 * rttvar} (RFC 6298). */
    public static final int DEFAULT_BUDGET_MULTIPLIER = 4;
    /** Largest budget multiplier: beyond {@code srtt + 32 * rttvar} a deadline no longer adapts. */
    public static final int MAX_BUDGET_MULTIPLIER = 32;
    /** Longest acceptable pause: one hour; a longer forgiven silence hides a dead peer for as long. */
    public static final long MAX_ACCEPTABLE_PAUSE_NS = 3_600_000_000_000L;
    /** Largest capacity of any table: its index of {@code 2 * capacity} slots must stay addressable. */
    public static final int MAX_TABLE_CAPACITY = 1 << 26;
    /** Default number of prior stripes: writer threads that update the priors without a locked instruction. */
    public static final int DEFAULT_PRIOR_STRIPES = 8;
    /** Most prior stripes: each takes a cache line in the global prior and in every chain record. */
    public static final int MAX_PRIOR_STRIPES = 64;

    /**
     * Validates every parameter. The configuration is immutable; thread-safe.
     *
     * @param siteCapacity        sites tracked at most, 1..{@value #MAX_TABLE_CAPACITY}.
     * @param edgeCapacity        per-edge EMAs tracked at most, 1..{@value #MAX_TABLE_CAPACITY}.
     * @param chainCapacity       chain priors tracked at most, 1..{@value #MAX_TABLE_CAPACITY}.
     * @param reportedCapacity    reverse-path reports stored at most, 1..{@value #MAX_TABLE_CAPACITY}.
     * @param historyCapacity     inter-arrival times kept per site for φ, at least 1.
     * @param suspectPhi          φ above which a site is suspect, finite and positive.
     * @param downPhi             φ above which a site is down, at least {@code suspectPhi}.
     * @param emaShifts           gains of site, edge and chain EMAs, not null.
     * @param globalPriorShifts   gains of the global prior, not null.
     * @param localPauseAwareness whether φ discounts silence that a local pause of this process explains.
     * @param localPauseMinNs     shortest scan gap taken for a local pause, positive.
     * @param maxLocalPauseNs     longest scan gap or reported pause believed, at least {@code localPauseMinNs}.
     * @param budgetMultiplier    K of every budget, 1..{@value #MAX_BUDGET_MULTIPLIER}.
     * @param idleAwarePhi        whether silence accrues only while requests are outstanding and unanswered.
     * @param acceptablePauseNs   silence forgiven before φ accrues, 0..{@value #MAX_ACCEPTABLE_PAUSE_NS}.
     * @param priorStripes        stripes of the priors, a power of two in 1..{@value #MAX_PRIOR_STRIPES}.
     * @throws IllegalArgumentException naming the first invalid parameter.
     */
    public RttTrackerConfig
    {
        requireCapacity("siteCapacity", siteCapacity, MAX_TABLE_CAPACITY);
        requireCapacity("edgeCapacity", edgeCapacity, MAX_TABLE_CAPACITY);
        requireCapacity("chainCapacity", chainCapacity, MAX_TABLE_CAPACITY);
        requireCapacity("reportedCapacity", reportedCapacity, MAX_TABLE_CAPACITY);
        requireCapacity("historyCapacity", historyCapacity, Integer.MAX_VALUE / Long.BYTES);
        requireThreshold("suspectPhi", suspectPhi);
        requireThreshold("downPhi", downPhi);
        if (downPhi < suspectPhi)
        {
            throw new IllegalArgumentException(
                "downPhi must be >= suspectPhi but downPhi=" + downPhi + " < suspectPhi=" + suspectPhi);
        }
        if (emaShifts == null)
        {
            throw new IllegalArgumentException("emaShifts must not be null");
        }
        if (globalPriorShifts == null)
        {
            throw new IllegalArgumentException("globalPriorShifts must not be null");
        }
        if (localPauseMinNs <= 0)
        {
            throw new IllegalArgumentException("localPauseMinNs must be > 0 but was " + localPauseMinNs);
        }
        if (maxLocalPauseNs < localPauseMinNs)
        {
            throw new IllegalArgumentException("maxLocalPauseNs must be >= localPauseMinNs (" + localPauseMinNs +
                ") but was " + maxLocalPauseNs);
        }
        if (budgetMultiplier < 1 || budgetMultiplier > MAX_BUDGET_MULTIPLIER)
        {
            throw new IllegalArgumentException("budgetMultiplier must be in 1.." + MAX_BUDGET_MULTIPLIER + " but was " +
                budgetMultiplier);
        }
        if (acceptablePauseNs < 0 || acceptablePauseNs > MAX_ACCEPTABLE_PAUSE_NS)
        {
            throw new IllegalArgumentException("acceptablePauseNs must be in 0.." + MAX_ACCEPTABLE_PAUSE_NS +
                " but was " + acceptablePauseNs);
        }
        if (priorStripes < 1 || priorStripes > MAX_PRIOR_STRIPES || Integer.bitCount(priorStripes) != 1)
        {
            throw new IllegalArgumentException("priorStripes must be a power of two in 1.." + MAX_PRIOR_STRIPES +
                " but was " + priorStripes);
        }
    }

    /**
     * Every parameter but the prior stripes, which are {@value #DEFAULT_PRIOR_STRIPES}.
     * The configuration is immutable; thread-safe.
     *
     * @param siteCapacity        sites tracked at most.
     * @param edgeCapacity        per-edge EMAs tracked at most.
     * @param chainCapacity       chain priors tracked at most.
     * @param reportedCapacity    reports stored at most.
     * @param historyCapacity     inter-arrival times kept per site.
     * @param suspectPhi          suspect threshold.
     * @param downPhi             down threshold.
     * @param emaShifts           gains of site, edge and chain EMAs.
     * @param globalPriorShifts   gains of the global prior.
     * @param localPauseAwareness whether φ discounts local pauses.
     * @param localPauseMinNs     shortest scan gap taken for a local pause.
     * @param maxLocalPauseNs     longest local pause believed.
     * @param budgetMultiplier    K of every budget.
     * @param idleAwarePhi        whether silence accrues only while requests are outstanding.
     * @param acceptablePauseNs   silence forgiven before φ accrues.
     * @throws IllegalArgumentException naming the first invalid parameter.
     */
    public RttTrackerConfig(
        final int siteCapacity,
        final int edgeCapacity,
        final int chainCapacity,
        final int reportedCapacity,
        final int historyCapacity,
        final double suspectPhi,
        final double downPhi,
        final EmaShifts emaShifts,
        final EmaShifts globalPriorShifts,
        final boolean localPauseAwareness,
        final long localPauseMinNs,
        final long maxLocalPauseNs,
        final int budgetMultiplier,
        final boolean idleAwarePhi,
        final long acceptablePauseNs)
    {
        this(siteCapacity, edgeCapacity, chainCapacity, reportedCapacity, historyCapacity, suspectPhi, downPhi,
            emaShifts, globalPriorShifts, localPauseAwareness, localPauseMinNs, maxLocalPauseNs, budgetMultiplier,
            idleAwarePhi, acceptablePauseNs, DEFAULT_PRIOR_STRIPES);
    }

    /**
     * The reference's budget multiplier and plain φ, with the local-pause parameters given.
     * The configuration is immutable; thread-safe.
     *
     * @param siteCapacity        sites tracked at most.
     * @param edgeCapacity        per-edge EMAs tracked at most.
     * @param chainCapacity       chain priors tracked at most.
     * @param reportedCapacity    reports stored at most.
     * @param historyCapacity     inter-arrival times kept per site.
     * @param suspectPhi          suspect threshold.
     * @param downPhi             down threshold.
     * @param emaShifts           gains of site, edge and chain EMAs.
     * @param globalPriorShifts   gains of the global prior.
     * @param localPauseAwareness whether φ discounts local pauses.
     * @param localPauseMinNs     shortest scan gap taken for a local pause.
     * @param maxLocalPauseNs     longest local pause believed.
     */
    public RttTrackerConfig(
        final int siteCapacity,
        final int edgeCapacity,
        final int chainCapacity,
        final int reportedCapacity,
        final int historyCapacity,
        final double suspectPhi,
        final double downPhi,
        final EmaShifts emaShifts,
        final EmaShifts globalPriorShifts,
        final boolean localPauseAwareness,
        final long localPauseMinNs,
        final long maxLocalPauseNs)
    {
        this(siteCapacity, edgeCapacity, chainCapacity, reportedCapacity, historyCapacity, suspectPhi, downPhi,
            emaShifts, globalPriorShifts, localPauseAwareness, localPauseMinNs, maxLocalPauseNs,
            DEFAULT_BUDGET_MULTIPLIER, false, 0);
    }

    /**
     * The layout parameters with local-pause awareness on, at its defaults: what a tracker file records.
     * The configuration is immutable; thread-safe.
     *
     * @param siteCapacity      sites tracked at most.
     * @param edgeCapacity      per-edge EMAs tracked at most.
     * @param chainCapacity     chain priors tracked at most.
     * @param reportedCapacity  reports stored at most.
     * @param historyCapacity   inter-arrival times kept per site.
     * @param suspectPhi        suspect threshold.
     * @param downPhi           down threshold.
     * @param emaShifts         gains of site, edge and chain EMAs.
     * @param globalPriorShifts gains of the global prior.
     */
    public RttTrackerConfig(
        final int siteCapacity,
        final int edgeCapacity,
        final int chainCapacity,
        final int reportedCapacity,
        final int historyCapacity,
        final double suspectPhi,
        final double downPhi,
        final EmaShifts emaShifts,
        final EmaShifts globalPriorShifts)
    {
        this(siteCapacity, edgeCapacity, chainCapacity, reportedCapacity, historyCapacity, suspectPhi, downPhi,
            emaShifts, globalPriorShifts, true, DEFAULT_LOCAL_PAUSE_MIN_NS, DEFAULT_MAX_LOCAL_PAUSE_NS);
    }

    /**
     * Pure; thread-safe.
     *
     * @param other another configuration.
     * @return {@code true} when both lay out the same buffer and compute the same numbers: every parameter
     * but the local-pause ones, which are behaviour of this process only.
     */
    public boolean sameLayoutAs(final RttTrackerConfig other)
    {
        return siteCapacity == other.siteCapacity &&
            edgeCapacity == other.edgeCapacity &&
            chainCapacity == other.chainCapacity &&
            reportedCapacity == other.reportedCapacity &&
            historyCapacity == other.historyCapacity &&
            Double.compare(suspectPhi, other.suspectPhi) == 0 &&
            Double.compare(downPhi, other.downPhi) == 0 &&
            emaShifts.equals(other.emaShifts) &&
            globalPriorShifts.equals(other.globalPriorShifts) &&
            budgetMultiplier == other.budgetMultiplier &&
            idleAwarePhi == other.idleAwarePhi &&
            acceptablePauseNs == other.acceptablePauseNs &&
            priorStripes == other.priorStripes;
    }

    /**
     * Any thread; the builder is not thread-safe.
     *
     * @return a builder holding the reference's defaults.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Any thread; the builder is not thread-safe.
     *
     * @return a builder holding this configuration, to build a tracker with it or to derive another.
     */
    public Builder toBuilder()
    {
        return new Builder()
            .siteCapacity(siteCapacity)
            .edgeCapacity(edgeCapacity)
            .chainCapacity(chainCapacity)
            .reportedCapacity(reportedCapacity)
            .historyCapacity(historyCapacity)
            .suspectPhi(suspectPhi)
            .downPhi(downPhi)
            .emaShifts(emaShifts.alphaShift(), emaShifts.betaShift())
            .globalPriorShifts(globalPriorShifts.alphaShift(), globalPriorShifts.betaShift())
            .localPauseAwareness(localPauseAwareness)
            .localPauseMinNs(localPauseMinNs)
            .maxLocalPauseNs(maxLocalPauseNs)
            .budgetMultiplier(budgetMultiplier)
            .idleAwarePhi(idleAwarePhi)
            .acceptablePauseNs(acceptablePauseNs)
            .priorStripes(priorStripes);
    }

    private static void requireCapacity(final String name, final int value, final int max)
    {
        if (value < 1 || value > max)
        {
            throw new IllegalArgumentException(name + " must be in 1.." + max + " but was " + value);
        }
    }

    private static void requireThreshold(final String name, final double value)
    {
        if (!Double.isFinite(value) || value <= 0.0)
        {
            throw new IllegalArgumentException(name + " must be finite and > 0 but was " + value);
        }
    }

    /**
     * Mutable builder; not thread-safe. Defaults: the reference's thresholds (8, 16), history 1000,
     * shifts (3, 2) and global (6, 5), capacities {@value #DEFAULT_SITE_CAPACITY} sites,
     * {@value #DEFAULT_EDGE_CAPACITY} edges, {@value #DEFAULT_CHAIN_CAPACITY} chains and
     * {@value #DEFAULT_REPORTED_CAPACITY} reports.
     */
    public static final class Builder
    {
        private int siteCapacity = DEFAULT_SITE_CAPACITY;
        private int edgeCapacity = DEFAULT_EDGE_CAPACITY;
        private int chainCapacity = DEFAULT_CHAIN_CAPACITY;
        private int reportedCapacity = DEFAULT_REPORTED_CAPACITY;
        private int historyCapacity = DEFAULT_HISTORY_CAPACITY;
        private double suspectPhi = PhiAccrual.DEFAULT_SUSPECT_PHI;
        private double downPhi = PhiAccrual.DEFAULT_DOWN_PHI;
        private int alphaShift = EmaShifts.DEFAULT_ALPHA_SHIFT;
        private int betaShift = EmaShifts.DEFAULT_BETA_SHIFT;
        private int globalAlphaShift = EmaShifts.GLOBAL_ALPHA_SHIFT;
        private int globalBetaShift = EmaShifts.GLOBAL_BETA_SHIFT;
        private boolean localPauseAwareness = true;
        private long localPauseMinNs = DEFAULT_LOCAL_PAUSE_MIN_NS;
        private long maxLocalPauseNs = DEFAULT_MAX_LOCAL_PAUSE_NS;
        private int budgetMultiplier = DEFAULT_BUDGET_MULTIPLIER;
        private boolean idleAwarePhi;
        private long acceptablePauseNs;
        private int priorStripes = DEFAULT_PRIOR_STRIPES;

        Builder()
        {
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param siteCapacity sites tracked at most, 1..{@value RttTrackerConfig#MAX_TABLE_CAPACITY}.
         * @return this.
         */
        public Builder siteCapacity(final int siteCapacity)
        {
            this.siteCapacity = siteCapacity;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param edgeCapacity per-edge EMAs tracked at most.
         * @return this.
         */
        public Builder edgeCapacity(final int edgeCapacity)
        {
            this.edgeCapacity = edgeCapacity;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param chainCapacity chain priors tracked at most.
         * @return this.
         */
        public Builder chainCapacity(final int chainCapacity)
        {
            this.chainCapacity = chainCapacity;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param reportedCapacity reverse-path reports stored at most.
         * @return this.
         */
        public Builder reportedCapacity(final int reportedCapacity)
        {
            this.reportedCapacity = reportedCapacity;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param historyCapacity inter-arrival times kept per site, at least 1.
         * @return this.
         */
        public Builder historyCapacity(final int historyCapacity)
        {
            this.historyCapacity = historyCapacity;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param suspectPhi finite, positive suspect threshold.
         * @return this.
         */
        public Builder suspectPhi(final double suspectPhi)
        {
            this.suspectPhi = suspectPhi;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param downPhi finite, positive down threshold, at least {@code suspectPhi}.
         * @return this.
         */
        public Builder downPhi(final double downPhi)
        {
            this.downPhi = downPhi;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param alphaShift log2(1/α) of site, edge and chain EMAs, 0..63.
         * @param betaShift  log2(1/β) of site, edge and chain EMAs, 0..63.
         * @return this.
         */
        public Builder emaShifts(final int alphaShift, final int betaShift)
        {
            this.alphaShift = alphaShift;
            this.betaShift = betaShift;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param alphaShift log2(1/α) of the global prior, 0..63.
         * @param betaShift  log2(1/β) of the global prior, 0..63.
         * @return this.
         */
        public Builder globalPriorShifts(final int alphaShift, final int betaShift)
        {
            this.globalAlphaShift = alphaShift;
            this.globalBetaShift = betaShift;
            return this;
        }

        /**
         * Whether φ discounts silence explained by a pause of this process (on by default): a gap in
         * the schedule of {@link RttTracker#scanPhi scans}, a stop-the-world GC pause reported by the
         * JVM, or a pause given to {@link RttTracker#recordLocalPause}.
         *
         * <p><b>Clock rule.</b> Scan gaps and reported pauses are on the caller's clock, whatever it is.
         * GC pauses are timed by the JVM with {@link System#nanoTime()}, so they are fed to a tracker only
         * while its {@code nowNs} values are {@code System.nanoTime()} values: each scan compares its
         * {@code nowNs} with {@code System.nanoTime()}, and one more than
         * {@link ai.bytesandbrains.rtt.pause.NanoTimeGate#DEFAULT_TOLERANCE_NS} (1 s) away stops the GC feed
         * until a scan agrees again, counted in {@link RttTracker#gcClockMismatchCount()}. A tracker driven
         * by another clock base (simulated time, epoch nanoseconds, {@code nanoTime() - start}) thus keeps
         * scan-gap and reported pauses and loses only the GC feed; report GC pauses on its own clock with
         * {@link RttTracker#recordLocalPause} if it needs them. A tracker that is never scanned cannot be
         * checked and gets the GC feed, as for {@code System.nanoTime()}.
         * Not thread-safe: one builder per thread.
         *
         * @param localPauseAwareness {@code false} for the reference's plain φ.
         * @return this.
         */
        public Builder localPauseAwareness(final boolean localPauseAwareness)
        {
            this.localPauseAwareness = localPauseAwareness;
            return this;
        }

        /**
         * Not thread-safe: one builder per thread.
         *
         * @param localPauseMinNs shortest gap between scans taken for a local pause, {@code > 0}; default
         *                        {@value RttTrackerConfig#DEFAULT_LOCAL_PAUSE_MIN_NS} ns.
         * @return this.
         */
        public Builder localPauseMinNs(final long localPauseMinNs)
        {
            this.localPauseMinNs = localPauseMinNs;
            return this;
        }

        /**
         * Longest local pause believed. A gap between scans longer than this, or a longer pause given to
         * {@link RttTracker#recordLocalPause}, is counted as an implausible time and not discounted, so a
         * single bad clock read cannot hide the silence of a dead peer for longer than this. A real stall
         * of this process longer than this is not discounted either: peers may be suspected when it ends.
         * Not thread-safe: one builder per thread.
         *
         * @param maxLocalPauseNs at least {@code localPauseMinNs}; default
         *                        {@value RttTrackerConfig#DEFAULT_MAX_LOCAL_PAUSE_NS} ns.
         * @return this.
         */
        public Builder maxLocalPauseNs(final long maxLocalPauseNs)
        {
            this.maxLocalPauseNs = maxLocalPauseNs;
            return this;
        }

        /**
         * K of every deadline budget, {@code srtt + K * rttvar}: the tracker's estimates, {@code ChainBudget}
         * and a file's readers (the file stores it). A larger K trades longer deadlines for fewer
         * spurious timeouts on a heavy-tailed backend. Not thread-safe: one builder per thread.
         *
         * @param budgetMultiplier 1..{@value RttTrackerConfig#MAX_BUDGET_MULTIPLIER}; default
         *                         {@value RttTrackerConfig#DEFAULT_BUDGET_MULTIPLIER}, the reference's.
         * @return this.
         */
        public Builder budgetMultiplier(final int budgetMultiplier)
        {
            this.budgetMultiplier = budgetMultiplier;
            return this;
        }

        /**
         * Idle-aware φ (off by default: the reference's plain φ). On, a site's silence is the time requests
         * to it spent outstanding since its last answer, as marked by {@link RttTracker#requestStarted} and
         * {@link RttTracker#requestEnded} (which {@code InFlightTracker} and the gRPC tracer call): a peer
         * nobody calls stays LIVE, a peer that leaves requests unanswered goes SUSPECT then DOWN, and the
         * silence never exceeds plain φ's. Switch it on for request-driven traffic with quiet periods; keep
         * plain φ for heartbeats.
         * Not thread-safe: one builder per thread.
         *
         * @param idleAwarePhi {@code true} for idle-aware φ.
         * @return this.
         */
        public Builder idleAwarePhi(final boolean idleAwarePhi)
        {
            this.idleAwarePhi = idleAwarePhi;
            return this;
        }

        /**
         * Silence forgiven before φ accrues, as Akka's and Hazelcast's acceptable heartbeat pause: φ at a
         * silence {@code S} is plain φ at {@code max(0, S - acceptablePauseNs)}. Applies in both φ modes.
         * Not thread-safe: one builder per thread.
         *
         * @param acceptablePauseNs 0..{@value RttTrackerConfig#MAX_ACCEPTABLE_PAUSE_NS}; default 0.
         * @return this.
         */
        public Builder acceptablePauseNs(final long acceptablePauseNs)
        {
            this.acceptablePauseNs = acceptablePauseNs;
            return this;
        }

        /**
         * Stripes of the global and chain priors. A thread maps to one stripe by its id; the first thread
         * to write through a stripe owns it for the tracker's life and updates the priors with plain loads
         * and release stores, no locked instruction; a thread whose stripe another thread owns updates one
         * shared cell with a CAS, as before striping. More stripes than writer threads keeps most writers
         * on the fast path; each stripe costs a cache line in the global prior and in every chain record
         * (the file stores the number). Not thread-safe: one builder per thread.
         *
         * @param priorStripes a power of two in 1..{@value RttTrackerConfig#MAX_PRIOR_STRIPES}; default
         *                     {@value RttTrackerConfig#DEFAULT_PRIOR_STRIPES}.
         * @return this.
         */
        public Builder priorStripes(final int priorStripes)
        {
            this.priorStripes = priorStripes;
            return this;
        }

        /**
         * Not thread-safe as to the builder; the configuration is immutable.
         *
         * @return the validated configuration.
         * @throws IllegalArgumentException naming the first invalid parameter.
         */
        public RttTrackerConfig toConfig()
        {
            return new RttTrackerConfig(
                siteCapacity,
                edgeCapacity,
                chainCapacity,
                reportedCapacity,
                historyCapacity,
                suspectPhi,
                downPhi,
                shifts("emaShifts.", alphaShift, betaShift),
                shifts("globalPriorShifts.", globalAlphaShift, globalBetaShift),
                localPauseAwareness,
                localPauseMinNs,
                maxLocalPauseNs,
                budgetMultiplier,
                idleAwarePhi,
                acceptablePauseNs,
                priorStripes);
        }

        /**
         * Build a tracker over memory it allocates and owns.
         * Not thread-safe as to the builder; the tracker is thread-safe.
         *
         * @return a new, empty tracker.
         * @throws IllegalArgumentException naming an invalid parameter, or when the configuration needs
         *                                  more memory than one buffer can address.
         * @throws AgronaSetupException     when this JVM lacks the Agrona flag or has an unsupported Agrona.
         */
        public RttTracker build()
        {
            AgronaCheck.requireUsable();
            return TrackerRecovery.allocate(toConfig());
        }

        /**
         * Build a tracker over a buffer the caller supplies (direct or memory-mapped). The buffer's
         * first {@link RttTracker#requiredBufferLength(RttTrackerConfig)} bytes are zeroed and become
         * the tracker's state; the caller keeps the memory alive for the tracker's life.
         * Not thread-safe as to the builder; the tracker is thread-safe once handed over.
         *
         * @param buffer off-heap (direct or memory-mapped) memory whose address is 8-byte aligned, at least
         *               the required length; a buffer over a {@code byte[]} or a heap {@code ByteBuffer} is
         *               refused whatever its offset, since the JVM does not promise 8-byte aligned array data
         *               for atomic access.
         * @return a new, empty tracker.
         * @throws IllegalArgumentException naming an invalid parameter, or when the buffer is too small.
         * @throws IllegalStateException    when the buffer is over a {@code byte[]} or its address is not
         *                                  8-byte aligned, whatever {@code agrona.strict.alignment.checks} says.
         * @throws AgronaSetupException     when this JVM lacks the Agrona flag or has an unsupported Agrona.
         */
        public RttTracker buildOver(final org.agrona.concurrent.AtomicBuffer buffer)
        {
            AgronaCheck.requireUsable();
            return TrackerRecovery.over(toConfig(), buffer);
        }

        /**
         * Build a tracker over a buffer that already holds the state of a tracker of this configuration,
         * for example a file mapped by a process that has since stopped or been killed. Nothing else may
         * use the buffer during the call. The state is repaired (a record or heartbeat in flight when the
         * earlier process died is settled) and timestamps are forgotten, since {@code nanoTime} origins
         * differ between processes: every site keeps its EMAs, counts and history but becomes "never
         * seen", with φ 0 and state LIVE, until its next round trip; {@link RttTracker#evictIdle} judges
         * it silent from the restart on. Every word the tracker will trust is validated first: state no
         * writer could have left is refused before anything is written, and records and rings no entry
         * uses are reset as in a fresh table.
         * Single-threaded; the tracker is thread-safe once handed over.
         *
         * @param buffer off-heap memory, 8-byte aligned as for {@link #buildOver}, at least the required
         *               length, holding such state.
         * @return the tracker.
         * @throws IllegalArgumentException naming an invalid parameter, or when the buffer is too small.
         * @throws IllegalStateException    when the buffer is misaligned, or the state is corrupt (naming
         *                                  the table, record and field); the buffer is then unchanged.
         * @throws AgronaSetupException     when this JVM lacks the Agrona flag or has an unsupported Agrona.
         */
        public RttTracker restoreOver(final org.agrona.concurrent.AtomicBuffer buffer)
        {
            AgronaCheck.requireUsable();
            return TrackerRecovery.restore(toConfig(), buffer);
        }

        private static EmaShifts shifts(final String prefix, final int alphaShift, final int betaShift)
        {
            try
            {
                return new EmaShifts(alphaShift, betaShift);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(prefix + ex.getMessage(), ex);
            }
        }
    }
}
