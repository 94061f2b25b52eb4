package ai.bytesandbrains.rtt.view;

import ai.bytesandbrains.rtt.internal.NameTable;
import ai.bytesandbrains.rtt.phi.PhiState;

import java.nio.charset.StandardCharsets;

/**
 * A reusable, allocation-free reading of one tracked site, captured when the view is filled: each word
 * is read once with volatile semantics, so srtt, rttvar and warm state belong to one state. The
 * history length and mean are read one after the other: with heartbeats of the site in flight they may
 * differ by those heartbeats; the mean comes from a quiescent view of the history where one was found.
 *
 * <p>Not thread-safe: one view per reading thread.
 */
public final class SiteView extends EmaReading
{
    private long site;
    private boolean seen;
    private long lastSeenNs;
    private PhiState lastPhiState = PhiState.LIVE;
    private int historyLength;
    private double historyMeanNs;
    private final byte[] name = new byte[NameTable.MAX_NAME_BYTES];
    private int nameLength;
    private long outstandingRequests;
    private long outstandingSinceWord;

    /**
     * Fill the view; for the tracker's reader only, which holds the key. Not thread-safe: the view's
     * reading thread.
     *
     * @param key           the reader's key; no one else can make one.
     * @param site          the site.
     * @param word          the site's EMA word.
     * @param sampleCount   its exact sample count.
     * @param seen          whether a round trip with the site was observed.
     * @param lastSeenNs    time of the latest round trip, when seen.
     * @param lastPhiState  state last reported by a scan.
     * @param historyLength inter-arrival times held.
     * @param historyMeanNs their mean.
     * @return this.
     */
    public SiteView fill(
        final ViewKey key,
        final long site,
        final long word,
        final long sampleCount,
        final boolean seen,
        final long lastSeenNs,
        final PhiState lastPhiState,
        final int historyLength,
        final double historyMeanNs)
    {
        ViewKey.check(key);
        this.site = site;
        setEma(word, sampleCount);
        this.seen = seen;
        this.lastSeenNs = lastSeenNs;
        this.lastPhiState = lastPhiState;
        this.historyLength = historyLength;
        this.historyMeanNs = historyMeanNs;
        return this;
    }

    /**
     * Fill the outstanding-request marker of idle-aware φ; for the tracker's reader only. Not thread-safe:
     * the view's reading thread.
     *
     * @param key                 the reader's key; no one else can make one.
     * @param outstandingRequests  requests started and not ended (0 when the marker is not used).
     * @param outstandingSinceWord the marker's since word, as stored.
     * @return this.
     */
    public SiteView fillOutstanding(final ViewKey key, final long outstandingRequests, final long outstandingSinceWord)
    {
        ViewKey.check(key);
        this.outstandingRequests = outstandingRequests;
        this.outstandingSinceWord = outstandingSinceWord;
        return this;
    }

    /**
     * Requests to the site started and not yet ended, as marked for idle-aware φ (0 with plain φ, where
     * sends are not marked). Not thread-safe: the view's reading thread.
     *
     * @return the count; a race with an eviction can leave it one off, and a count below 1 means none.
     */
    public long outstandingRequests()
    {
        return outstandingRequests;
    }

    /**
     * The marker's since word as stored, read after the count: a period start while requests are
     * outstanding, an anchor (sign bit set) after a period ended; decoded by
     * {@code ai.bytesandbrains.rtt.state.OutstandingRequests}. Not thread-safe: the view's reading thread.
     *
     * @return the since word.
     */
    public long outstandingSinceWord()
    {
        return outstandingSinceWord;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the site id.
     */
    public long site()
    {
        return site;
    }

    /**
     * Where the reader copies the site's name; for the tracker's reader only. Not thread-safe.
     *
     * @param key the reader's key.
     * @return the view's name bytes, {@link NameTable#MAX_NAME_BYTES} long.
     */
    public byte[] nameSink(final ViewKey key)
    {
        ViewKey.check(key);
        return name;
    }

    /**
     * Set how many bytes of the name sink hold the name; for the tracker's reader only. Not thread-safe.
     *
     * @param key    the reader's key.
     * @param length bytes of the name, 0 for none.
     */
    public void nameLength(final ViewKey key, final int length)
    {
        ViewKey.check(key);
        nameLength = length;
    }

    /**
     * Not thread-safe: the view's reading thread; allocation-free.
     *
     * @return {@code true} when the site was named ({@code RttTracker.nameSite}).
     */
    public boolean hasName()
    {
        return nameLength > 0;
    }

    /**
     * Not thread-safe: the view's reading thread. Decodes the name's UTF-8: allocates.
     *
     * @return the site's name ({@code host:port}), {@code ""} when it has none.
     */
    public String name()
    {
        return new String(name, 0, nameLength, StandardCharsets.UTF_8);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return {@code false} for a site known only from a reverse-path report (D2: an explicit state).
     */
    public boolean hasBeenSeen()
    {
        return seen;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return time of the latest round trip; meaningful only when {@link #hasBeenSeen()}.
     */
    public long lastSeenNs()
    {
        return lastSeenNs;
    }

    /**
     * Time of the latest EMA update. Every observe moves it and last-seen to the same {@code nowNs}
     * (and neither moves backwards, D3), so the two are one stored word.
     * Not thread-safe: the view's reading thread.
     *
     * @return time of the latest EMA update; meaningful only when {@link #hasBeenSeen()}.
     */
    public long lastUpdatedNs()
    {
        return lastSeenNs;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the φ state last reported for the site by a scan.
     */
    public PhiState lastPhiState()
    {
        return lastPhiState;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return inter-arrival times held in the φ history.
     */
    public int historyLength()
    {
        return historyLength;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return mean of the φ history in nanoseconds, 0 when empty.
     */
    public double historyMeanNs()
    {
        return historyMeanNs;
    }
}
