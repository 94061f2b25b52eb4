package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormatTest
{
    @Test
    void shouldKeepAboutThreeSignificantFigures()
    {
        assertThat(Format.number(1234.5)).isEqualTo("1235");
        assertThat(Format.number(12.345)).isEqualTo("12.3");
        assertThat(Format.number(1.2345)).isEqualTo("1.23");
        assertThat(Format.number(0.12345)).isEqualTo("0.123");
    }

    @Test
    void shouldKeepTheDigitsOfATinyTailRatio()
    {
        assertThat(Format.ratio(0.00076)).isEqualTo("0.00076x");
    }

    @Test
    void shouldPrintMissingForNaN()
    {
        assertThat(Format.ratio(Double.NaN)).isEqualTo("missing");
    }
}
