package ai.bytesandbrains.rtt.gettingstarted;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README shows the example exactly as compiled and run here; a README that drifts fails the build. */
class ReadmeExampleTest
{
    @Test
    void readmeShowsTheExampleSourceVerbatim() throws Exception
    {
        final List<String> region = ReadmeBlocks.exampleRegion();
        assertThat(region).as("tagged region of %s", ReadmeBlocks.exampleSource()).hasSizeGreaterThan(20);
        assertThat(ReadmeBlocks.block(ReadmeBlocks.readme(), "example"))
            .as("README.md block 'example' must equal the tagged region of GettingStarted.java, line for line")
            .containsExactlyElementsOf(region);
    }

    @Test
    void exampleRegionIsAWholeProgram() throws Exception
    {
        // The consumer check compiles the README block alone: it must hold the imports and the class.
        final List<String> region = ReadmeBlocks.exampleRegion();
        assertThat(region.get(0)).startsWith("import ai.bytesandbrains.rtt.");
        assertThat(region).contains("public final class GettingStarted {");
        assertThat(region.get(region.size() - 1)).isEqualTo("}");
        assertThat(region).noneMatch(line -> line.startsWith("package "));
    }
}
