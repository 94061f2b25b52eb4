/**
 * Internals, not API: support shared by bb-rtt's packages and the mechanisms behind the tracker, public
 * only so that the tracker's own packages, its file reader, its tests and stress tests can reach them.
 * They may change in any release, and the file's layout version changes with the layout.
 * <ul>
 *   <li>{@link ai.bytesandbrains.rtt.internal.RecordTable}: the lock-free, fixed-capacity hash table of
 *   records behind sites, edges, chains and reports; {@link ai.bytesandbrains.rtt.internal.TableRepair}
 *   its cold validation and repair;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.AtomicEma}: one EMA word and its count, updated by a CAS
 *   loop;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.StripedPrior}: the global and chain priors as thread-owned
 *   stripes, written without a locked instruction by the thread owning a stripe, and one published word;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.RecordMemory}: direct access to a record's words after one
 *   range check for the whole record, the hot paths' way past per-access bounds checks;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.LocalPauseLog}: the log of local pauses φ discounts;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.TrackerLayout}: where each part of the state lives in the
 *   buffer;</li>
 *   <li>{@link ai.bytesandbrains.rtt.internal.ColdEvents}: the cold events logged once.</li>
 * </ul>
 * The memory-ordering conventions they follow are written once, in {@link ai.bytesandbrains.rtt.state}.
 */
package ai.bytesandbrains.rtt.internal;
