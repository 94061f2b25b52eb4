package ai.bytesandbrains.rtt.view;

import ai.bytesandbrains.rtt.ema.EmaWord;

/**
 * What every view of an EMA holds: its word, captured whole, and its sample count, read before the word
 * (it may lag the word by the observes in flight; for a report it is the reported count). The accessors
 * decode the one word, so srtt, rttvar and warm state always belong to one state. Not thread-safe: one
 * view per reading thread.
 */
abstract class EmaReading
{
    private long word;
    private long sampleCount;
    private int budgetMultiplier = 4;

    EmaReading()
    {
    }

    /** Set by the subclass's {@code fill}, which only the tracker's reader can call. */
    final void setEma(final long word, final long sampleCount)
    {
        this.word = word;
        this.sampleCount = sampleCount;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return the raw EMA word.
     */
    public final long word()
    {
        return word;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return smoothed RTT in nanoseconds.
     */
    public final long srttNs()
    {
        return EmaWord.srttNs(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return RTT variation in nanoseconds.
     */
    public final long rttvarNs()
    {
        return EmaWord.rttvarNs(word);
    }

    /**
     * Set K of {@link #budgetNs()}: the reader filling the view sets its state's K at every fill. Not
     * thread-safe: the view's reading thread.
     *
     * @param key              the reader's key; no one else can make one.
     * @param budgetMultiplier K, {@code >= 1}.
     */
    public final void setBudgetMultiplier(final ViewKey key, final int budgetMultiplier)
    {
        ViewKey.check(key);
        this.budgetMultiplier = budgetMultiplier;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return K of the state this view was read from (4 before a reader filled it).
     */
    public final int budgetMultiplier()
    {
        return budgetMultiplier;
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return {@code srtt + K * rttvar}, saturating, with the K of the state the view was read from.
     */
    public final long budgetNs()
    {
        return EmaWord.wordBudgetNs(word, budgetMultiplier);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return {@code true} once three samples were seen.
     */
    public final boolean isWarm()
    {
        return EmaWord.isWarm(word);
    }

    /**
     * Not thread-safe: the view's reading thread.
     *
     * @return exact number of samples, read before the word (for a report: the reported count).
     */
    public final long sampleCount()
    {
        return sampleCount;
    }
}
