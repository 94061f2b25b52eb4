package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.file.TrackerFile;
import ai.bytesandbrains.rtt.file.TrackerFileReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Child JVM for {@link AgronaCheckTest}: tries every construction that must refuse a JVM where Agrona
 * cannot work, printing one {@code STEP name: outcome} line each and the last exception's message.
 * Arguments: an existing tracker file, then {@code with-buffer} to also try {@code buildOver}.
 */
public final class AgronaCheckChild
{
    private static final RttTrackerConfig CONFIG = RttTracker.builder().siteCapacity(16).edgeCapacity(16)
        .chainCapacity(4).reportedCapacity(16).historyCapacity(8).toConfig();

    private static Throwable last;

    private AgronaCheckChild()
    {
    }

    public static void main(final String[] args)
    {
        final Path file = Path.of(args[0]);
        attempt("build", () -> RttTracker.builder().build().observeRoundTrip(1, 2, 0, 1_000, 1_000));
        attempt("build-again", () -> RttTracker.builder().build().observeRoundTrip(1, 2, 0, 1_000, 1_000));
        attempt("file-open", () -> TrackerFile.open(file).close());
        attempt("file-create", () -> TrackerFile.create(file.resolveSibling("created.rtt"), CONFIG).close());
        attempt("reader-open", () -> TrackerFileReader.open(file).close());
        if (args.length > 1 && args[1].equals("with-buffer"))
        {
            // Agrona 1.x builds an UnsafeBuffer without the flag; only the tracker must refuse it.
            final UnsafeBuffer buffer = new UnsafeBuffer(
                ByteBuffer.allocateDirect((int)RttTracker.requiredBufferLength(CONFIG)));
            attempt("build-over", () -> CONFIG.toBuilder().buildOver(buffer).observeRoundTrip(1, 2, 0, 1_000, 1_000));
        }
        System.out.println("MESSAGE-BEGIN");
        System.out.println(last == null ? "" : last.getMessage());
        System.out.println("MESSAGE-END");
    }

    private static void attempt(final String step, final Runnable action)
    {
        try
        {
            action.run();
            System.out.println("STEP " + step + ": OK");
        }
        catch (final Throwable ex)
        {
            last = ex;
            System.out.println("STEP " + step + ": " + ex.getClass().getName());
        }
    }
}
