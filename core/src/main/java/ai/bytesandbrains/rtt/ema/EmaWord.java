package ai.bytesandbrains.rtt.ema;

/**
 * Codec and update rule for one Jacobson/Karels EMA packed into a single 64-bit word, so that
 * srtt, rttvar and the warm-up state change together under one compare-and-set.
 *
 * <h2>Word layout</h2>
 * <pre>
 *   63 62 61                              31 30                               0
 *  +-----+----------------------------------+----------------------------------+
 *  |state|        srtt code (31 bits)       |       rttvar code (31 bits)      |
 *  +-----+----------------------------------+----------------------------------+
 * </pre>
 * {@code state} is the number of samples seen, saturated at 3: 0 empty, 1 and 2 warming, 3 warm.
 * The all-zero word is the empty EMA, so zeroed memory is a valid initial state. The exact sample
 * count is not in the word; it lives in a separate counter beside it.
 *
 * <h2>Value code</h2>
 * Each 31-bit code is a small unsigned float with an implicit leading bit, ordered like the value it
 * encodes: {@code E = code >>> 26}, {@code F = code & (2^26 - 1)}.
 * <ul>
 *   <li>{@code E <= 1}: the value is {@code code} itself, so every value below 2^27 ns (134 ms) is
 *   stored exactly;</li>
 *   <li>{@code E >= 2}: the value is {@code (2^26 + F) << (E - 1)}, 27 significant bits.</li>
 * </ul>
 * Encoding rounds to nearest, so the relative error of a stored value is at most 2^-27 (the D5
 * contract asks for 2^-24). The largest code, {@code 2^31 - 1}, is {@link #MAX_VALUE_NS}
 * ({@code (2^27 - 1) << 30}, about 1.44e17 ns or 4.5 years); larger values saturate to it.
 *
 * <h2>Update rule (RFC 6298, as the reference)</h2>
 * First sample: {@code srtt = s, rttvar = s >> 1}. Later samples, against the old srtt:
 * {@code rttvar = rttvar - (rttvar >> b) + (|srtt - s| >> b)}, then
 * {@code srtt = srtt - (srtt >> a) + (s >> a)}. The arithmetic is done on the decoded 64-bit values,
 * then re-encoded, so below 2^27 ns the result is bit-identical to the reference.
 *
 * <p>All methods are pure functions of their arguments: thread-safe, allocation-free.
 */
public final class EmaWord
{
    /** The word of an EMA that has seen no sample. */
    public static final long EMPTY = 0L;

    /** Samples needed before an EMA is warm and may answer a budget estimate. */
    public static final int WARM_SAMPLES = 3;

    /** Bits of each value code. */
    public static final int CODE_BITS = 31;

    /** Significant bits of a value code, counting the implicit leading bit. */
    public static final int SIGNIFICANT_BITS = 27;

    /** Largest code. */
    public static final long MAX_CODE = (1L << CODE_BITS) - 1;

    /** Largest value a code can hold; larger values saturate to it. */
    public static final long MAX_VALUE_NS = ((1L << SIGNIFICANT_BITS) - 1) << 30;

    /** Values below this are stored exactly. */
    public static final long EXACT_LIMIT_NS = 1L << SIGNIFICANT_BITS;

    /** Worst relative error of a stored value above {@link #EXACT_LIMIT_NS}: 2^-27. */
    public static final double MAX_RELATIVE_ERROR = 0x1p-27;

    private static final int FRACTION_BITS = SIGNIFICANT_BITS - 1;
    private static final long FRACTION_MASK = (1L << FRACTION_BITS) - 1;
    private static final int STATE_SHIFT = 2 * CODE_BITS;
    private static final int SRTT_SHIFT = CODE_BITS;

    private EmaWord()
    {
    }

    /**
     * Encode a non-negative value into a 31-bit code, rounding to nearest and saturating. Pure; thread-safe.
     *
     * @param valueNs value in nanoseconds, {@code >= 0}.
     * @return its code.
     */
    public static long encodeValue(final long valueNs)
    {
        if (valueNs < EXACT_LIMIT_NS)
        {
            return valueNs;
        }
        if (valueNs >= MAX_VALUE_NS)
        {
            return MAX_CODE;
        }
        final int shift = (Long.SIZE - Long.numberOfLeadingZeros(valueNs)) - SIGNIFICANT_BITS;
        final long significand = (valueNs + (1L << (shift - 1))) >>> shift; // may carry to 2^27: still a valid code
        return Math.min(((long)shift << FRACTION_BITS) + significand, MAX_CODE);
    }

    /**
     * Decode a 31-bit code. Pure; thread-safe.
     *
     * @param code a code from {@link #encodeValue(long)}.
     * @return the value in nanoseconds.
     */
    public static long decodeValue(final long code)
    {
        final int exponent = (int)(code >>> FRACTION_BITS);
        if (exponent <= 1)
        {
            return code;
        }
        return ((code & FRACTION_MASK) | (1L << FRACTION_BITS)) << (exponent - 1);
    }

    /**
     * The value a stored EMA actually holds for {@code valueNs}: {@code decode(encode(v))}.
     * Pure; thread-safe.
     *
     * @param valueNs value in nanoseconds, {@code >= 0}.
     * @return the nearest representable value.
     */
    public static long representable(final long valueNs)
    {
        return decodeValue(encodeValue(valueNs));
    }

    /**
     * Build a word from its parts. Pure; thread-safe.
     *
     * @param sampleCount samples seen (saturated at {@link #WARM_SAMPLES} in the word), {@code >= 0}.
     * @param srttNs      smoothed RTT, {@code >= 0}.
     * @param rttvarNs    RTT variation, {@code >= 0}.
     * @return the word.
     */
    public static long pack(final long sampleCount, final long srttNs, final long rttvarNs)
    {
        final long state = Math.min(sampleCount, WARM_SAMPLES);
        return (state << STATE_SHIFT) | (encodeValue(srttNs) << SRTT_SHIFT) | encodeValue(rttvarNs);
    }

    /**
     * Pure; thread-safe.
     *
     * @param word an EMA word.
     * @return samples seen, saturated at {@link #WARM_SAMPLES}.
     */
    public static int state(final long word)
    {
        return (int)(word >>> STATE_SHIFT);
    }

    /**
     * Pure; thread-safe.
     *
     * @param word an EMA word.
     * @return {@code true} once the EMA has seen {@link #WARM_SAMPLES} samples.
     */
    public static boolean isWarm(final long word)
    {
        return (word >>> STATE_SHIFT) >= WARM_SAMPLES;
    }

    /**
     * Pure; thread-safe.
     *
     * @param word an EMA word.
     * @return smoothed RTT in nanoseconds.
     */
    public static long srttNs(final long word)
    {
        return decodeValue((word >>> SRTT_SHIFT) & MAX_CODE);
    }

    /**
     * Pure; thread-safe.
     *
     * @param word an EMA word.
     * @return RTT variation in nanoseconds.
     */
    public static long rttvarNs(final long word)
    {
        return decodeValue(word & MAX_CODE);
    }

    /**
     * Recommended budget {@code srtt + 4 * rttvar} of the word (RFC 6298 §2.3). Pure; thread-safe.
     *
     * @param word an EMA word.
     * @return the budget in nanoseconds.
     */
    public static long budgetNs(final long word)
    {
        return budgetNs(srttNs(word), rttvarNs(word));
    }

    /**
     * {@code srtt + 4 * rttvar}, saturating at {@link Long#MAX_VALUE} instead of wrapping. Pure; thread-safe.
     *
     * @param srttNs   smoothed RTT, {@code >= 0}.
     * @param rttvarNs RTT variation, {@code >= 0}.
     * @return the budget in nanoseconds.
     */
    public static long budgetNs(final long srttNs, final long rttvarNs)
    {
        return budgetNs(srttNs, rttvarNs, 4);
    }

    /**
     * Budget {@code srtt + multiplier * rttvar} of the word, the tracker's configured K. Pure; thread-safe.
     *
     * @param word       an EMA word.
     * @param multiplier K, {@code >= 1}.
     * @return the budget in nanoseconds, saturating.
     */
    public static long wordBudgetNs(final long word, final int multiplier)
    {
        return budgetNs(srttNs(word), rttvarNs(word), multiplier);
    }

    /**
     * {@code srtt + multiplier * rttvar}, saturating at {@link Long#MAX_VALUE} instead of wrapping: one
     * multiply by a field on the hot path. With {@code multiplier} 4 it is bit-exact with the reference's
     * {@code srtt + 4 * rttvar}. Pure; thread-safe.
     *
     * @param srttNs     smoothed RTT, {@code >= 0}.
     * @param rttvarNs   RTT variation, {@code >= 0}.
     * @param multiplier K, {@code >= 1}.
     * @return the budget in nanoseconds.
     */
    public static long budgetNs(final long srttNs, final long rttvarNs, final int multiplier)
    {
        final long spread = rttvarNs * multiplier;
        // The product overflowed when its high half is not 0 or its low half is negative: no division here.
        if (Math.multiplyHigh(rttvarNs, multiplier) != 0 || spread < 0)
        {
            return Long.MAX_VALUE;
        }
        final long budget = srttNs + spread;
        return budget < 0 ? Long.MAX_VALUE : budget;
    }

    /**
     * Apply one sample to a word, with the RFC 6298 gains (α = 1/8, β = 1/4). Pure; thread-safe.
     *
     * @param word     the current word.
     * @param sampleNs the round-trip sample, {@code >= 0}.
     * @return the next word.
     */
    public static long update(final long word, final long sampleNs)
    {
        return update(word, sampleNs, EmaShifts.DEFAULT_ALPHA_SHIFT, EmaShifts.DEFAULT_BETA_SHIFT);
    }

    /**
     * Apply one sample to a word with custom gains α = 2^-alphaShift, β = 2^-betaShift. Pure; thread-safe.
     *
     * @param word       the current word.
     * @param sampleNs   the round-trip sample, {@code >= 0}.
     * @param alphaShift log2(1/α), 0..63.
     * @param betaShift  log2(1/β), 0..63.
     * @return the next word.
     */
    public static long update(final long word, final long sampleNs, final int alphaShift, final int betaShift)
    {
        final int state = state(word);
        final long nextState = Math.min(state + 1, WARM_SAMPLES);
        if (state == 0)
        {
            return (nextState << STATE_SHIFT) | (encodeValue(sampleNs) << SRTT_SHIFT) | encodeValue(sampleNs >> 1);
        }

        // Decoded values are below 2^58 and samples below 2^63, so no step below overflows.
        final long srtt = srttNs(word);
        final long rttvar = rttvarNs(word);
        // Math.abs, not a ternary: C2 compiles it without a branch, which samples straddling srtt make a
        // coin flip. srtt - sampleNs lies in (-2^63, 2^58), never Long.MIN_VALUE, so abs is exact.
        final long delta = Math.abs(srtt - sampleNs);
        final long nextRttvar = rttvar - (rttvar >> betaShift) + (delta >> betaShift);
        final long nextSrtt = srtt - (srtt >> alphaShift) + (sampleNs >> alphaShift);

        return (nextState << STATE_SHIFT) | (encodeValue(nextSrtt) << SRTT_SHIFT) | encodeValue(nextRttvar);
    }
}
