package ai.bytesandbrains.rtt.view;


/**
 * A reusable, allocation-free reading of one EMA held by a tracker (edge, chain prior, global prior or
 * reported entry): the key it is stored under, its word and its sample count, captured when the view
 * is filled. srtt, rttvar and warm state come from one word, so they always belong to one state; the
 * count is read before the word and may lag it by the observes in flight.
 *
 * <p>Not thread-safe: one view per reading thread.
 *
 * <p>Each kind's key is named by its accessors: an edge has {@link #site()}, {@link #chainId()} and
 * {@link #hopIndex()}; a chain prior {@link #chainId()}; a report {@link #fromSite()}, {@link #nextHop()}
 * and {@link #chainId()}; the global prior none. Only the tracker's reader fills a view.
 */
public final class EmaView extends EmaReading
{
    private long key0;
    private long key1;
    private long key2;

    /** What an entry is, and so which accessors name its key. */
    public enum Kind
    {
        /** A per-edge EMA: {@link #site()}, {@link #chainId()}, {@link #hopIndex()}. */
        EDGE,
        /** A chain prior: {@link #chainId()}. */
        CHAIN_PRIOR,
        /** The global prior: no key. */
        GLOBAL_PRIOR,
        /** A reverse-path report: {@link #fromSite()}, {@link #nextHop()}, {@link #chainId()}. */
        REPORTED
    }

    private Kind kind = Kind.GLOBAL_PRIOR;

    /**
     * Fill the view; for the tracker's reader only, which holds the key. Not thread-safe: the view's
     * reading thread.
     *
     * @param key         the reader's key; no one else can make one.
     * @param kind        what the entry is.
     * @param key0        first key word.
     * @param key1        second key word.
     * @param key2        third key word.
     * @param word        the EMA word.
     * @param sampleCount the exact sample count.
     * @return this.
     */
    public EmaView fill(
        final ViewKey key,
        final Kind kind,
        final long key0,
        final long key1,
        final long key2,
        final long word,
        final long sampleCount)
    {
        ViewKey.check(key);
        this.kind = kind;
        this.key0 = key0;
        this.key1 = key1;
        this.key2 = key2;
        setEma(word, sampleCount);
        return this;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return what the entry is.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the site of an edge, 0 for other kinds.
     */
    public long site()
    {
        return kind == Kind.EDGE ? key0 : 0;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the hop index of an edge, 0..255; 0 for other kinds.
     */
    public int hopIndex()
    {
        return kind == Kind.EDGE ? (int)key2 : 0;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the chain of an edge, chain prior or report; 0 for the global prior.
     */
    public long chainId()
    {
        switch (kind)
        {
            case EDGE:
                return key1;
            case CHAIN_PRIOR:
                return key0;
            case REPORTED:
                return key2;
            default:
                return 0;
        }
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the reporting site of a report, 0 for other kinds.
     */
    public long fromSite()
    {
        return kind == Kind.REPORTED ? key0 : 0;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the next hop of a report, 0 for other kinds.
     */
    public long nextHop()
    {
        return kind == Kind.REPORTED ? key1 : 0;
    }
}
