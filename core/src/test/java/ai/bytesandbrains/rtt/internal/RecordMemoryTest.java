package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordMemoryTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));

    @Test
    void shouldAddressTheSameWordsAsTheBuffer()
    {
        final Object base = RecordMemory.base(buffer);
        final long address = RecordMemory.address(buffer, 64, 64);
        buffer.putLong(64 + 8, 42);
        assertThat(RecordMemory.getLong(base, address + 8)).isEqualTo(42);
        assertThat(RecordMemory.getAndAddLong(base, address + 8, 1)).isEqualTo(42);
        assertThat(RecordMemory.compareAndExchangeLong(base, address + 8, 43, 7)).isEqualTo(43);
        assertThat(RecordMemory.getAndSetLong(base, address + 8, 9)).isEqualTo(7);
        RecordMemory.putLongRelease(base, address + 16, -1);
        assertThat(buffer.getLongVolatile(64 + 8)).isEqualTo(9);
        assertThat(RecordMemory.getLongVolatile(base, address + 16)).isEqualTo(-1);
    }

    @Test
    void shouldAcceptARangeEndingAtTheCapacity()
    {
        assertThat(RecordMemory.address(buffer, 192, 64)).isEqualTo(buffer.addressOffset() + 192);
    }

    @Test
    void shouldRefuseARangePastTheEndWhateverAgronaChecks()
    {
        // The check is the library's own: it holds with -Dagrona.disable.bounds.checks=true too.
        assertThatThrownBy(() -> RecordMemory.address(buffer, 200, 64)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("64 bytes at 200");
        assertThatThrownBy(() -> RecordMemory.address(buffer, Integer.MAX_VALUE, 8))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldRefuseANegativeOffset()
    {
        assertThatThrownBy(() -> RecordMemory.address(buffer, -8, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RecordMemory.address(buffer, Integer.MIN_VALUE, 8))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
