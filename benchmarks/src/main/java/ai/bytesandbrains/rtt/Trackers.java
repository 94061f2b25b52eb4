package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.baseline.AtomicReferenceRttTracker;
import ai.bytesandbrains.rtt.baseline.JcToolsRttTracker;
import ai.bytesandbrains.rtt.baseline.SynchronizedRttTracker;

/**
 * Creates the implementation a benchmark's {@code impl} parameter names. Only the named class is loaded
 * in a fork, so calls through {@link TrackerUnderTest} are monomorphic.
 */
public final class Trackers
{
    /** Core: {@link RttTracker}. */
    public static final String CORE = "core";
    /** Baseline 1: {@link SynchronizedRttTracker}. */
    public static final String SYNCHRONIZED = "synchronized";
    /** Baseline 2: {@link AtomicReferenceRttTracker}. */
    public static final String ATOMIC_REF = "atomicref";
    /** Baseline 3: {@link JcToolsRttTracker}. */
    public static final String JCTOOLS = "jctools";

    private Trackers()
    {
    }

    /**
     * @param impl            {@link #CORE}, {@link #SYNCHRONIZED}, {@link #ATOMIC_REF} or {@link #JCTOOLS}.
     * @param siteCapacity    sites core must hold (baselines grow).
     * @param edgeCapacity    edges core must hold.
     * @param historyCapacity φ history capacity, for all four.
     * @return a fresh tracker with the reference's thresholds and shifts.
     */
    public static TrackerUnderTest create(
        final String impl, final int siteCapacity, final int edgeCapacity, final int historyCapacity)
    {
        return switch (impl)
        {
            case CORE -> new CoreTracker(RttTracker.builder()
                .siteCapacity(siteCapacity)
                .edgeCapacity(edgeCapacity)
                .chainCapacity(256)
                .reportedCapacity(Math.max(4096, siteCapacity))
                .historyCapacity(historyCapacity)
                .build());
            case SYNCHRONIZED -> new SynchronizedRttTracker(historyCapacity, 8.0, 16.0);
            case ATOMIC_REF -> new AtomicReferenceRttTracker(historyCapacity, 8.0, 16.0);
            case JCTOOLS -> new JcToolsRttTracker(historyCapacity, 8.0, 16.0);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }
}
