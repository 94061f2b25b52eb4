package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;

import java.util.List;

/**
 * One reading of a tracker file by {@link TrackerFileReader}: what an inspection tool shows. Each value
 * is read whole; different values are read at different instants while the writer runs.
 * Immutable; thread-safe.
 *
 * @param writerNowNs  the instant of the reading on the writer's {@code nanoTime} clock, used for φ.
 * @param owner        the writer that last opened the file.
 * @param writerAlive  whether that process is still running (on this host).
 * @param sites        every tracked site, in storage order.
 * @param chainPriors  every chain prior.
 * @param globalPrior  the global prior.
 * @param edgeCount    per-edge EMAs stored.
 * @param reportCount  reverse-path reports stored.
 * @param counters     the tracker's counters.
 * @param droppedNames names not stored (name table full, name too long).
 */
public record TrackerFileSample(
    long writerNowNs,
    TrackerFileHeader.Owner owner,
    boolean writerAlive,
    List<SiteRow> sites,
    List<RttTrackerSnapshot.ChainPrior> chainPriors,
    RttTrackerSnapshot.Ema globalPrior,
    long edgeCount,
    long reportCount,
    RttTrackerSnapshot.Counters counters,
    long droppedNames)
{
    /**
     * Copies the lists. The sample is immutable; thread-safe.
     *
     * @param writerNowNs the instant of the reading on the writer's {@code nanoTime} clock.
     * @param owner       the writer that last opened the file.
     * @param writerAlive whether that process is still running (on this host).
     * @param sites       every tracked site, in storage order; copied.
     * @param chainPriors every chain prior; copied.
     * @param globalPrior the global prior.
     * @param edgeCount   per-edge EMAs stored.
     * @param reportCount reverse-path reports stored.
     * @param counters    the tracker's counters.
     * @param droppedNames names not stored.
     */
    public TrackerFileSample
    {
        sites = List.copyOf(sites);
        chainPriors = List.copyOf(chainPriors);
    }
}
