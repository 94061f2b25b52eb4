package ai.bytesandbrains.rtt.phi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PhiAccrualTest
{
    @Test
    void shouldComputeExponentialApproximation()
    {
        // mean 1000, elapsed 2302.585... -> phi 1
        assertThat(PhiAccrual.phi(10_000, 10_000, 10)).isCloseTo(10_000 / (1000 * Math.log(10)), within(1e-12));
        assertThat(PhiAccrual.phi(0, 10_000, 10)).isZero();
    }

    @Test
    void shouldBeZeroForEmptyOrNonPositiveHistory()
    {
        assertThat(PhiAccrual.phi(1_000, 0, 0)).isZero();
        assertThat(PhiAccrual.phi(1_000, 0, 5)).isZero();
        assertThat(PhiAccrual.phi(1_000, -5, 5)).isZero();
        assertThat(PhiAccrual.phi(1_000, Double.NaN)).isZero();
        assertThat(PhiAccrual.phi(-1_000, 100.0)).isZero();
    }

    @Test
    void shouldClassifyWithStrictThresholds()
    {
        assertThat(PhiAccrual.classify(8.0, 8.0, 16.0)).isEqualTo(PhiState.LIVE);
        assertThat(PhiAccrual.classify(Math.nextUp(8.0), 8.0, 16.0)).isEqualTo(PhiState.SUSPECT);
        assertThat(PhiAccrual.classify(16.0, 8.0, 16.0)).isEqualTo(PhiState.SUSPECT);
        assertThat(PhiAccrual.classify(Math.nextUp(16.0), 8.0, 16.0)).isEqualTo(PhiState.DOWN);
        assertThat(PhiAccrual.LN_10).isEqualTo(Math.log(10.0));
    }
}
