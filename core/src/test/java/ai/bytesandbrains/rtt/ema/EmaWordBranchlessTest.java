package ai.bytesandbrains.rtt.ema;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmaWord#update(long, long, int, int)} computes {@code |srtt - sample|} with {@link Math#abs(long)}
 * instead of the ternary it had before: bit-identical words, checked against the old formula kept here.
 */
class EmaWordBranchlessTest
{
    private static final int[] SHIFTS = {0, 1, 2, 3, 5, 6, 31, 62, 63};

    /** The update as written before, with the branch: the oracle. */
    private static long updateWithBranch(final long word, final long sampleNs, final int alphaShift, final int betaShift)
    {
        final int state = EmaWord.state(word);
        final long nextState = Math.min(state + 1, EmaWord.WARM_SAMPLES);
        if (state == 0)
        {
            return (nextState << 62) | (EmaWord.encodeValue(sampleNs) << 31) | EmaWord.encodeValue(sampleNs >> 1);
        }
        final long srtt = EmaWord.srttNs(word);
        final long rttvar = EmaWord.rttvarNs(word);
        final long delta = srtt >= sampleNs ? srtt - sampleNs : sampleNs - srtt;
        final long nextRttvar = rttvar - (rttvar >> betaShift) + (delta >> betaShift);
        final long nextSrtt = srtt - (srtt >> alphaShift) + (sampleNs >> alphaShift);
        return (nextState << 62) | (EmaWord.encodeValue(nextSrtt) << 31) | EmaWord.encodeValue(nextRttvar);
    }

    private static long word(final int state, final long srttCode, final long rttvarCode)
    {
        return ((long)state << 62) | (srttCode << 31) | rttvarCode;
    }

    @Test
    void shouldMatchTheBranchingFormulaOnEdgeValues()
    {
        final long[] codes = {
            0, 1, 2, 3, (1L << 26) - 1, 1L << 26, (1L << 27) - 1, 1L << 27, (1L << 27) + 1,
            (1L << 30) - 1, 1L << 30, EmaWord.MAX_CODE - 1, EmaWord.MAX_CODE, 0x2AAA_AAAAL, 0x5555_5555L, 12345};
        long checked = 0;
        for (final long srttCode : codes)
        {
            final long srtt = EmaWord.decodeValue(srttCode);
            final long[] samples = {
                0, 1, 2, srtt - 1, srtt, srtt + 1, srtt >> 1, srtt << 1, EmaWord.EXACT_LIMIT_NS - 1,
                EmaWord.EXACT_LIMIT_NS, EmaWord.MAX_VALUE_NS - 1, EmaWord.MAX_VALUE_NS, EmaWord.MAX_VALUE_NS + 1,
                1L << 58, (1L << 62) + 7, Long.MAX_VALUE - 1, Long.MAX_VALUE};
            for (final long rttvarCode : codes)
            {
                for (int state = 0; state <= EmaWord.WARM_SAMPLES; state++)
                {
                    final long word = word(state, srttCode, rttvarCode);
                    for (final long sample : samples)
                    {
                        if (sample < 0)
                        {
                            continue;
                        }
                        for (final int a : SHIFTS)
                        {
                            for (final int b : SHIFTS)
                            {
                                assertSame(word, sample, a, b);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000_000);
    }

    @Test
    void shouldMatchTheBranchingFormulaOnRandomWordsAndSamples()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_13L);
        for (int i = 0; i < 2_000_000; i++)
        {
            final long word = word(
                random.nextInt(EmaWord.WARM_SAMPLES + 1), random.nextLong(EmaWord.MAX_CODE + 1),
                random.nextLong(EmaWord.MAX_CODE + 1));
            // Half the samples near srtt, where the sign of srtt - sample flips; the rest anywhere in range.
            final long srtt = EmaWord.srttNs(word);
            final long sample = (i & 1) == 0 ?
                Math.max(0, srtt + random.nextLong(-1024, 1025)) :
                (random.nextLong() >>> 1) >>> random.nextInt(63); // any valid sample, 0 .. 2^63 - 1
            assertSame(word, sample, random.nextInt(64), random.nextInt(64));
        }
    }

    @Test
    void shouldMatchTheBranchingFormulaAlongSequencesWithDefaultShifts()
    {
        final SplittableRandom random = new SplittableRandom(42);
        long word = EmaWord.EMPTY;
        long oracle = EmaWord.EMPTY;
        for (int i = 0; i < 1_000_000; i++)
        {
            final long sample = random.nextLong(1L << (1 + random.nextInt(40)));
            word = EmaWord.update(word, sample);
            oracle = updateWithBranch(oracle, sample, EmaShifts.DEFAULT_ALPHA_SHIFT, EmaShifts.DEFAULT_BETA_SHIFT);
            assertThat(word).isEqualTo(oracle);
        }
    }

    private static void assertSame(final long word, final long sample, final int a, final int b)
    {
        final long expected = updateWithBranch(word, sample, a, b);
        final long actual = EmaWord.update(word, sample, a, b);
        if (actual != expected)
        {
            throw new AssertionError("word 0x" + Long.toHexString(word) + " sample " + sample + " shifts " + a + "," + b +
                ": 0x" + Long.toHexString(actual) + " != 0x" + Long.toHexString(expected));
        }
    }
}
