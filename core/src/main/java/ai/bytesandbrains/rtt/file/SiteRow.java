package ai.bytesandbrains.rtt.file;

import ai.bytesandbrains.rtt.phi.PhiState;

/**
 * One site as read from a tracker file by {@link TrackerFileReader}. Immutable; thread-safe.
 *
 * @param site              the site id.
 * @param srttNs            smoothed RTT.
 * @param rttvarNs          RTT variation.
 * @param budgetNs          {@code srtt + 4 * rttvar}, saturating.
 * @param warm              whether the EMA has seen three samples.
 * @param sampleCount       samples observed (may lag the EMA by the observes in flight).
 * @param seen              whether a round trip was observed since the writer opened the file.
 * @param lastSeenNs        latest round trip on the writer's clock; meaningful when seen.
 * @param phi               φ at the reader's "now" translated to the writer's clock; 0 when not seen.
 * @param verdict           the state φ implies now under the file's thresholds.
 * @param lastReportedState the state the writer's last scan reported.
 * @param historyLength     inter-arrival times held.
 * @param historyMeanNs     their mean, 0 when empty.
 * @param name              the site's name ({@code host:port}), {@code ""} when it has none.
 */
public record SiteRow(
    long site,
    long srttNs,
    long rttvarNs,
    long budgetNs,
    boolean warm,
    long sampleCount,
    boolean seen,
    long lastSeenNs,
    double phi,
    PhiState verdict,
    PhiState lastReportedState,
    int historyLength,
    double historyMeanNs,
    String name)
{
}
