package ai.bytesandbrains.rtt.gettingstarted;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the marked blocks of README.md and the tagged region of the example source, the same way
 * {@code .ci/consumer-check.sh} does: a block is the one fenced code block between the lines
 * {@code <!-- begin:NAME -->} and {@code <!-- end:NAME -->}; the region is the lines between
 * {@code // tag::example[]} and {@code // end::example[]}.
 */
final class ReadmeBlocks
{
    private ReadmeBlocks()
    {
    }

    static Path readme()
    {
        return Path.of(System.getProperty("readme.path", "../README.md"));
    }

    static Path exampleSource()
    {
        return Path.of(System.getProperty(
            "example.path", "src/main/java/ai/bytesandbrains/rtt/gettingstarted/GettingStarted.java"));
    }

    /** The lines inside the single fenced block between the markers of {@code name}. */
    static List<String> block(final Path markdown, final String name) throws IOException
    {
        final List<String> between = between(
            Files.readAllLines(markdown, StandardCharsets.UTF_8),
            "<!-- begin:" + name + " -->",
            "<!-- end:" + name + " -->",
            markdown);
        if (between.size() < 2 || !between.get(0).startsWith("```") || !between.get(between.size() - 1).equals("```"))
        {
            throw new IllegalStateException(
                markdown + ": the markers of '" + name + "' must enclose exactly one fenced code block");
        }
        final List<String> inside = between.subList(1, between.size() - 1);
        if (inside.stream().anyMatch(line -> line.startsWith("```")))
        {
            throw new IllegalStateException(markdown + ": more than one fenced block between the markers of '" + name + "'");
        }
        return inside;
    }

    /** The lines of the example source between its tag comments. */
    static List<String> exampleRegion() throws IOException
    {
        final Path source = exampleSource();
        return between(
            Files.readAllLines(source, StandardCharsets.UTF_8), "// tag::example[]", "// end::example[]", source);
    }

    private static List<String> between(
        final List<String> lines, final String begin, final String end, final Path file)
    {
        final int from = indexOfOnly(lines, begin, file);
        final int to = indexOfOnly(lines, end, file);
        if (to <= from)
        {
            throw new IllegalStateException(file + ": '" + end + "' does not follow '" + begin + "'");
        }
        return new ArrayList<>(lines.subList(from + 1, to));
    }

    private static int indexOfOnly(final List<String> lines, final String marker, final Path file)
    {
        int found = -1;
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).trim().equals(marker))
            {
                if (found >= 0)
                {
                    throw new IllegalStateException(file + ": '" + marker + "' appears more than once");
                }
                found = i;
            }
        }
        if (found < 0)
        {
            throw new IllegalStateException(file + ": no line '" + marker + "'");
        }
        return found;
    }
}
