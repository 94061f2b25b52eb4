package ai.bytesandbrains.rtt;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ChainIdsTest
{
    @Test
    void shouldMatchPublishedFnv1aVectors()
    {
        assertThat(ChainIds.fromTargets("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(ChainIds.fromTargets("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(ChainIds.fromTargets("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void shouldHashUtf8BytesOfAnyString()
    {
        for (final String s : new String[]{"site-a,site-b", "é,ü", "日本,中", "emoji \uD83D\uDE00", "lone \uD800 x", "\uDC00"})
        {
            final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            assertThat(ChainIds.fromTargets(s)).as(s).isEqualTo(ChainIds.fromBytes(utf8));
            assertThat(ChainIds.fromBytes(new UnsafeBuffer(utf8), 0, utf8.length)).isEqualTo(ChainIds.fromBytes(utf8));
        }
    }

    @Test
    void shouldHashASliceOfBytes()
    {
        final byte[] bytes = "xxfoobaryy".getBytes(StandardCharsets.UTF_8);
        assertThat(ChainIds.fromBytes(bytes, 2, 6)).isEqualTo(0x85944171f73967e8L);
    }
}
