package ai.bytesandbrains.rtt.grpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutBackoffTest
{
    @Test
    void shouldDoubleOnEachTimeoutUpToTheCapAndResetOnSuccess()
    {
        final TimeoutBackoff backoff = new TimeoutBackoff(2);
        assertThat(backoff.shift()).isZero();
        backoff.onTimeout();
        assertThat(backoff.shift()).isEqualTo(1);
        backoff.onTimeout();
        backoff.onTimeout();
        assertThat(backoff.shift()).isEqualTo(2);
        backoff.onSuccess();
        assertThat(backoff.shift()).isZero();
    }

    @Test
    void shouldMultiplyAndSaturate()
    {
        assertThat(TimeoutBackoff.apply(10, 0)).isEqualTo(10);
        assertThat(TimeoutBackoff.apply(10, 3)).isEqualTo(80);
        assertThat(TimeoutBackoff.apply(Long.MAX_VALUE / 2, 2)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseAShiftOutOfRange()
    {
        assertThatThrownBy(() -> new TimeoutBackoff(-1)).hasMessageContaining("maxShift");
        assertThatThrownBy(() -> new TimeoutBackoff(17)).hasMessageContaining("maxShift");
    }
}
