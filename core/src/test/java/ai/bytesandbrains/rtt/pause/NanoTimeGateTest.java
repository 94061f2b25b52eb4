package ai.bytesandbrains.rtt.pause;

import ai.bytesandbrains.rtt.internal.LocalPauseLog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NanoTimeGateTest
{
    private final LocalPauseLog log = new LocalPauseLog(4);
    private final NanoTimeGate gate = new NanoTimeGate(log, 1_000);

    @Test
    void shouldLetPausesThroughUntilACheckFindsAnotherClock()
    {
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.recordLocalPause(0, 10)).isTrue();

        assertThat(gate.check(5_000, 2_000)).isFalse();
        assertThat(gate.recordLocalPause(20, 30)).isFalse();

        assertThat(log.recordedCount()).isEqualTo(1);
        assertThat(gate.refusedCount()).isEqualTo(1);
        assertThat(gate.mismatchCount()).isEqualTo(1);
    }

    @Test
    void shouldOpenAgainWhenACheckAgreesWithinTheTolerance()
    {
        gate.check(Long.MIN_VALUE, Long.MAX_VALUE); // the distance overflows a long: another clock, no exception
        assertThat(gate.isOpen()).isFalse();

        assertThat(gate.check(2_000, 3_000)).isTrue();
        assertThat(gate.check(3_000, 2_000)).isTrue();
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.recordLocalPause(20, 30)).isTrue();
        assertThat(gate.mismatchCount()).isEqualTo(1);
    }

    @Test
    void shouldValidateItsArguments()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new NanoTimeGate(log, -1)).withMessageContaining("toleranceNs");
    }
}
