/**
 * A tracker's state as memory: {@link ai.bytesandbrains.rtt.state.TrackerTables} (the buffer, its
 * layout, the four record tables and the local pause log, built once), descriptors of records such as
 * {@link ai.bytesandbrains.rtt.state.SiteRecord}, and {@link ai.bytesandbrains.rtt.state.TrackerReader},
 * the read path shared by the live tracker and a file's read-only reader. Not API beyond what
 * {@code RttTracker} hands out: the layout may change with the file's layout version.
 *
 * <h2>Memory-ordering conventions</h2>
 * Every 64-bit word of the state is accessed through an {@code AtomicBuffer}, or, on the hot paths, at
 * an address inside a record whose whole range was checked once against the buffer
 * ({@code internal.RecordMemory}: same modes, no per-access bounds check); a descriptor's accessor
 * says the mode in its name, as JCTools' {@code lv/lp/so/sv/cas} and Agrona's {@code AtomicBuffer} do:
 * <ul>
 *   <li>{@code ...Volatile} load: a word another thread writes with a CAS or an atomic add, read so that
 *   it is the latest and that the reads after it are not moved before it (a reader's first word);</li>
 *   <li>{@code cas...} / {@code compareAndExchange...}: the one way a shared word changes once the state
 *   is shared; a full fence, so the stores before it are visible to whoever reads the new value;</li>
 *   <li>release store ({@code putLongRelease}): publishes the plain stores before it, paired with an
 *   acquire or volatile load of the same word by the reader (a record's FREE state, a slot's even stamp);</li>
 *   <li>{@code put...} plain store: only where no other thread can look, i.e. cold, single-threaded
 *   repair, import and reset of a record no writer holds; handing the tracker over, or the release store
 *   of a record's state, publishes them.</li>
 * </ul>
 * A pairing is argued at the write: the comment there names what the reader loads first and what that
 * load then guarantees it sees ("claimed before the ring slot; completed last, so claimed == completed
 * proves no record overlapped the sum read"). Readers validate after reading: a record's words are
 * trusted only once its generation, read last, is the one its handle carries.
 */
package ai.bytesandbrains.rtt.state;
