package ai.bytesandbrains.rtt.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The hand-written JMH JSON files under {@code src/test/resources/jmh}: three runs of a small suite.
 * Observe with chain, core / synchronized: 1.5, 1.8, 1.3; core / atomicref: 3.0, 3.0, 2.0; core / jctools:
 * 1.2, missing (run 2 has no jctools), 1.3. Run 1 also has an estimate with no core result, the scale
 * rows (core at 100 sites 10 ops/µs, at 100,000 sites 4) and the tail-latency group for core and synchronized.
 * {@code handles.json}, a run of its own: observe without chain by id and through handles for all four, and a
 * handle row with no id twin (φ, core alone), all with B/op.
 */
final class Fixtures
{
    private Fixtures()
    {
    }

    static Path file(final String name)
    {
        try
        {
            return Path.of(Fixtures.class.getResource("/jmh/" + name).toURI());
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalStateException(e);
        }
    }

    static RunSet runs(final String... names)
    {
        try
        {
            return RunSet.read(Arrays.stream(names).map(Fixtures::file).toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static RunSet threeRuns()
    {
        return runs("run-1.json", "run-2.json", "run-3.json");
    }

    static List<JmhResult> read(final String name) throws IOException
    {
        return JmhResult.read(file(name));
    }
}
