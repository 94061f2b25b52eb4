package ai.bytesandbrains.rtt.view;

import ai.bytesandbrains.rtt.ema.EmaWord;

/**
 * A reusable, allocation-free reading of one EMA held by a tracker (edge, chain prior, global prior or
 * reported entry): the key it is stored under, its word and its sample count, captured when the view
 * is filled. srtt, rttvar and warm state come from one word, so they always belong to one state; the
 * count is read before the word and may lag it by the observes in flight.
 *
 * <p>Not thread-safe: one view per reading thread.
 *
 * <table>
 *   <caption>Key words per kind</caption>
 *   <tr><th>kind</th><th>key0</th><th>key1</th><th>key2</th></tr>
 *   <tr><td>edge</td><td>site</td><td>chainId</td><td>hopIndex</td></tr>
 *   <tr><td>chain prior</td><td>chainId</td><td>0</td><td>0</td></tr>
 *   <tr><td>global prior</td><td>0</td><td>0</td><td>0</td></tr>
 *   <tr><td>reported</td><td>fromSite</td><td>nextHop</td><td>chainId</td></tr>
 * </table>
 */
public final class EmaView
{
    private long key0;
    private long key1;
    private long key2;
    private long word;
    private long sampleCount;

    /**
     * Fill the view; called by the tracker. Not thread-safe: the view's reading thread.
     *
     * @param key0        first key word.
     * @param key1        second key word.
     * @param key2        third key word.
     * @param word        the EMA word.
     * @param sampleCount the exact sample count.
     * @return this.
     */
    public EmaView set(final long key0, final long key1, final long key2, final long word, final long sampleCount)
    {
        this.key0 = key0;
        this.key1 = key1;
        this.key2 = key2;
        this.word = word;
        this.sampleCount = sampleCount;
        return this;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return first key word.
     */
    public long key0()
    {
        return key0;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return second key word.
     */
    public long key1()
    {
        return key1;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return third key word.
     */
    public long key2()
    {
        return key2;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the raw EMA word.
     */
    public long word()
    {
        return word;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return smoothed RTT in nanoseconds.
     */
    public long srttNs()
    {
        return EmaWord.srttNs(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return RTT variation in nanoseconds.
     */
    public long rttvarNs()
    {
        return EmaWord.rttvarNs(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return {@code srtt + 4 * rttvar}.
     */
    public long budgetNs()
    {
        return EmaWord.budgetNs(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return {@code true} once three samples were seen.
     */
    public boolean isWarm()
    {
        return EmaWord.isWarm(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return exact number of samples (for a reported entry: the reported count).
     */
    public long sampleCount()
    {
        return sampleCount;
    }
}
