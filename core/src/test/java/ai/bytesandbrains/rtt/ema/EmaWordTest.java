package ai.bytesandbrains.rtt.ema;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EmaWordTest
{
    @Test
    void shouldStartEmptyAndCold()
    {
        assertThat(EmaWord.state(EmaWord.EMPTY)).isZero();
        assertThat(EmaWord.isWarm(EmaWord.EMPTY)).isFalse();
        assertThat(EmaWord.srttNs(EmaWord.EMPTY)).isZero();
        assertThat(EmaWord.rttvarNs(EmaWord.EMPTY)).isZero();
    }

    @Test
    void shouldInitialiseFromFirstSampleAsRfc6298()
    {
        final long word = EmaWord.update(EmaWord.EMPTY, 1001);
        assertThat(EmaWord.srttNs(word)).isEqualTo(1001);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(500);
        assertThat(EmaWord.state(word)).isEqualTo(1);
    }

    @Test
    void shouldFollowHandComputedSequence()
    {
        // 1000: srtt 1000, rttvar 500
        // 2000: delta 1000; rttvar 500 - 125 + 250 = 625; srtt 1000 - 125 + 250 = 1125
        // 600:  delta 525;  rttvar 625 - 156 + 131 = 600; srtt 1125 - 140 + 75 = 1060
        long word = EmaWord.update(EmaWord.EMPTY, 1000);
        word = EmaWord.update(word, 2000);
        assertThat(EmaWord.srttNs(word)).isEqualTo(1125);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(625);
        assertThat(EmaWord.isWarm(word)).isFalse();
        word = EmaWord.update(word, 600);
        assertThat(EmaWord.srttNs(word)).isEqualTo(1060);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(600);
        assertThat(EmaWord.isWarm(word)).isTrue();
        assertThat(EmaWord.budgetNs(word)).isEqualTo(1060 + 4 * 600);
    }

    @Test
    void shouldSaturateStateAtWarm()
    {
        long word = EmaWord.EMPTY;
        for (int i = 0; i < 10; i++)
        {
            word = EmaWord.update(word, 5);
        }
        assertThat(EmaWord.state(word)).isEqualTo(EmaWord.WARM_SAMPLES);
    }

    @Test
    void shouldApplyCustomShifts()
    {
        // (6, 5) as the global prior: 64000 then 0
        // delta 64000; rttvar 32000 - 1000 + 2000 = 33000; srtt 64000 - 1000 + 0 = 63000
        long word = EmaWord.update(EmaWord.EMPTY, 64_000, 6, 5);
        word = EmaWord.update(word, 0, 6, 5);
        assertThat(EmaWord.srttNs(word)).isEqualTo(63_000);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(33_000);
        // shifts of 0 replace the state by the sample and the delta
        word = EmaWord.update(word, 10, 0, 0);
        assertThat(EmaWord.srttNs(word)).isEqualTo(10);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(62_990);
    }

    @Test
    void shouldKeepTheTruncationFloorOfTheReference()
    {
        // rttvar 3 with delta 0: 3 - (3 >> 2) + 0 = 3, forever; srtt 7 towards 0: 7 - 0 + 0 = 7.
        long word = EmaWord.update(EmaWord.EMPTY, 7);
        for (int i = 0; i < 100; i++)
        {
            word = EmaWord.update(word, 7);
        }
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(3);
        for (int i = 0; i < 100; i++)
        {
            word = EmaWord.update(word, 0);
        }
        assertThat(EmaWord.srttNs(word)).isEqualTo(7);
    }

    @Test
    void shouldStoreValuesBelowTheExactLimitBitExact()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++)
        {
            final long value = random.nextLong(EmaWord.EXACT_LIMIT_NS);
            assertThat(EmaWord.representable(value)).isEqualTo(value);
        }
        assertThat(EmaWord.representable(EmaWord.EXACT_LIMIT_NS - 1)).isEqualTo(EmaWord.EXACT_LIMIT_NS - 1);
        assertThat(EmaWord.representable((1L << 24) - 1)).isEqualTo((1L << 24) - 1);
    }

    @Test
    void shouldKeepRelativeErrorWithin2toMinus27UpTo2to57()
    {
        final SplittableRandom random = new SplittableRandom(2);
        double worst = 0;
        for (int bits = 27; bits <= 56; bits++)
        {
            for (int i = 0; i < 20_000; i++)
            {
                final long value = random.nextLong(1L << bits, 1L << (bits + 1));
                worst = Math.max(worst, Math.abs(EmaWord.representable(value) - value) / (double)value);
            }
            final long halfway = (1L << bits) + (1L << (bits - 27)); // a rounding tie
            worst = Math.max(worst, Math.abs(EmaWord.representable(halfway) - halfway) / (double)halfway);
        }
        System.out.printf("EMA word encoding: worst relative error %.3e (2^%.2f)%n", worst, Math.log(worst) / Math.log(2));
        assertThat(worst).isLessThanOrEqualTo(EmaWord.MAX_RELATIVE_ERROR).isGreaterThan(0.0);
    }

    @Test
    void shouldSaturateValuesBeyondTheRange()
    {
        assertThat(EmaWord.encodeValue(Long.MAX_VALUE)).isEqualTo(EmaWord.MAX_CODE);
        assertThat(EmaWord.representable(Long.MAX_VALUE)).isEqualTo(EmaWord.MAX_VALUE_NS);
        assertThat(EmaWord.representable(EmaWord.MAX_VALUE_NS)).isEqualTo(EmaWord.MAX_VALUE_NS);
        assertThat(EmaWord.MAX_VALUE_NS).isGreaterThan(1L << 50);
        final long word = EmaWord.update(EmaWord.update(EmaWord.EMPTY, Long.MAX_VALUE), Long.MAX_VALUE);
        assertThat(EmaWord.srttNs(word)).isEqualTo(EmaWord.MAX_VALUE_NS);
        assertThat(EmaWord.state(word)).isEqualTo(2);
    }

    @Test
    void shouldOrderCodesLikeValues()
    {
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++)
        {
            final long a = random.nextLong(Long.MAX_VALUE >>> random.nextInt(63));
            final long b = random.nextLong(Long.MAX_VALUE >>> random.nextInt(63));
            if (a <= b)
            {
                assertThat(EmaWord.encodeValue(a)).isLessThanOrEqualTo(EmaWord.encodeValue(b));
            }
        }
    }

    @Test
    void shouldSaturateBudgetInsteadOfWrapping()
    {
        assertThat(EmaWord.budgetNs(Long.MAX_VALUE - 10, 3)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(1, Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(EmaWord.budgetNs(0, Long.MAX_VALUE / 4)).isEqualTo(Long.MAX_VALUE / 4 * 4);
        assertThat(EmaWord.budgetNs(EmaWord.pack(3, EmaWord.MAX_VALUE_NS, EmaWord.MAX_VALUE_NS)))
            .isEqualTo(5 * EmaWord.MAX_VALUE_NS);
    }

    @Test
    void shouldPackReportedStateWithWarmFromCount()
    {
        final long word = EmaWord.pack(2, 1234, 56);
        assertThat(EmaWord.state(word)).isEqualTo(2);
        assertThat(EmaWord.srttNs(word)).isEqualTo(1234);
        assertThat(EmaWord.rttvarNs(word)).isEqualTo(56);
        assertThat(EmaWord.isWarm(EmaWord.pack(1L << 40, 1, 1))).isTrue();
    }

    @Test
    void shouldRefuseShiftsOutside0To63()
    {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> new EmaShifts(64, 2)).withMessageContaining("alphaShift");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> new EmaShifts(3, -1)).withMessageContaining("betaShift");
    }
}
