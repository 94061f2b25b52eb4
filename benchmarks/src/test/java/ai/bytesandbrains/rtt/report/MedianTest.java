package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MedianTest
{
    @Test
    void shouldTakeTheMiddleOfAnOddCountWhateverTheOrder()
    {
        assertThat(Median.of(1.8, 1.3, 1.5)).isEqualTo(1.5);
    }

    @Test
    void shouldAverageTheTwoMiddleValuesOfAnEvenCount()
    {
        assertThat(Median.of(4.0, 1.0, 3.0, 2.0)).isEqualTo(2.5);
    }

    @Test
    void shouldLeaveOutRunsWithoutAValue()
    {
        assertThat(Median.of(1.2, Double.NaN, 1.3)).isEqualTo(1.25);
    }

    @Test
    void shouldBeNaNWhenNoRunHasAValue()
    {
        assertThat(Median.of(Double.NaN, Double.NaN)).isNaN();
        assertThat(Median.of()).isNaN();
    }
}
