package ai.bytesandbrains.rtt.gettingstarted;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and docs/ stand on their own: every relative link resolves to a file of this repository,
 * and none points at material kept outside it.
 */
class DocsLinksTest
{
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final List<String> OUTSIDE = List.of("SEMANTICS.md", "rtt_tracker.rs", "../shared", "/work/");

    private static List<Path> pages() throws IOException
    {
        final Path readme = ReadmeBlocks.readme().toAbsolutePath().normalize();
        final List<Path> pages = new ArrayList<>();
        pages.add(readme);
        try (Stream<Path> docs = Files.list(readme.getParent().resolve("docs")))
        {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).as("README.md and docs/*.md").hasSizeGreaterThanOrEqualTo(5);
        return pages;
    }

    @Test
    void relativeLinksResolve() throws IOException
    {
        final List<String> broken = new ArrayList<>();
        int links = 0;
        for (final Path page : pages())
        {
            final Matcher m = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (m.find())
            {
                final String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://"))
                {
                    continue;
                }
                links++;
                if (!Files.exists(page.getParent().resolve(target)))
                {
                    broken.add(page.getFileName() + " -> " + target);
                }
            }
        }
        assertThat(links).as("relative links found").isGreaterThan(10);
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    @Test
    void nothingPointsOutsideTheRepository() throws IOException
    {
        final List<String> found = new ArrayList<>();
        for (final Path page : pages())
        {
            final List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++)
            {
                for (final String outside : OUTSIDE)
                {
                    if (lines.get(i).contains(outside))
                    {
                        found.add(page.getFileName() + ":" + (i + 1) + ": " + outside);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
