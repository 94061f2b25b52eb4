package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long sequences of large samples through one EMA word and through the full-precision reference EMA:
 * the word must stay within {@link D5Bound} of the reference, and its worst drift is printed, the
 * figure quoted in the README.
 */
class EmaDriftTest
{
    @ParameterizedTest
    @ValueSource(ints = {3, 6})
    void shouldStayWithinTheDerivedDriftBound(final int alphaShift)
    {
        final EmaShifts shifts = alphaShift == 3 ? EmaShifts.RFC_6298 : EmaShifts.GLOBAL_PRIOR;
        final SplittableRandom random = new SplittableRandom(alphaShift);
        double worstRelative = 0;
        for (int sequence = 0; sequence < 20; sequence++)
        {
            final ReferenceRttTracker.Ema reference = new ReferenceRttTracker.Ema();
            long word = EmaWord.EMPTY;
            final long base = 1L << (30 + random.nextInt(20));
            for (int i = 0; i < 50_000; i++)
            {
                final long sample = base + random.nextLong(base / 4); // jitter of a quarter
                reference.observe(sample, shifts.alphaShift(), shifts.betaShift());
                word = EmaWord.update(word, sample, shifts.alphaShift(), shifts.betaShift());
                final long bound = D5Bound.of(shifts, reference.scale);
                final long srttError = Math.abs(EmaWord.srttNs(word) - reference.srtt);
                final long rttvarError = Math.abs(EmaWord.rttvarNs(word) - reference.rttvar);
                assertThat(srttError).isLessThanOrEqualTo(bound);
                assertThat(rttvarError).isLessThanOrEqualTo(bound);
                worstRelative = Math.max(worstRelative, srttError / (double)reference.srtt);
            }
        }
        System.out.printf("EMA drift vs reference, shifts %s: worst |srtt - ref| / ref = %.3e (2^%.1f)%n",
            shifts, worstRelative, Math.log(worstRelative) / Math.log(2));
        assertThat(worstRelative).isLessThan(1e-5);
    }
}
