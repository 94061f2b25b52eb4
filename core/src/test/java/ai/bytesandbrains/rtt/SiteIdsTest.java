package ai.bytesandbrains.rtt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteIdsTest
{
    @ParameterizedTest
    @CsvSource({
        "'', cbf29ce484222325",
        "a, af63dc4c8601ec8c",
        "foobar, 85944171f73967e8",
        "127.0.0.1:50051, c7532d0a37800979",
        "'[::1]:50051', 98d1b26038faaa6f",
        "10.0.0.1:8080, 8c205676cb139b95"})
    void shouldBeFnv1a64OfTheUtf8Bytes(final String hostPort, final String expectedHex)
    {
        assertThat(SiteIds.of(hostPort)).isEqualTo(Long.parseUnsignedLong(expectedHex, 16));
    }

    @ParameterizedTest
    @ValueSource(strings = {"häst:80", "服务器:443", "\uD83D\uDE80:1", "lone\uD800surrogate:2", "tail\uDBFF"})
    void shouldHashWhatStringGetBytesEncodes(final String hostPort)
    {
        final byte[] utf8 = hostPort.getBytes(StandardCharsets.UTF_8);
        assertThat(SiteIds.of(hostPort)).isEqualTo(ChainIds.fromBytes(utf8));
        assertThat(SiteIds.of(new StringBuilder(hostPort))).as("any CharSequence").isEqualTo(SiteIds.of(hostPort));
    }

    @Test
    void shouldTellSpellingsApart()
    {
        assertThat(SiteIds.of("localhost:50051")).isNotEqualTo(SiteIds.of("127.0.0.1:50051"));
    }

    @Test
    void shouldRefuseNull()
    {
        assertThatThrownBy(() -> SiteIds.of(null)).isInstanceOf(NullPointerException.class);
    }
}
