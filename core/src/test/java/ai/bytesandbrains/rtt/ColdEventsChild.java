package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.pause.ProcessGcPauses;

import java.util.logging.Level;

/**
 * Child JVM for {@link ColdEventsTest}, started without {@code java.management}: builds two trackers
 * that ask for the GC pause feed and prints whether the feed exists and every WARNING logged.
 */
public final class ColdEventsChild
{
    private ColdEventsChild()
    {
    }

    public static void main(final String[] args)
    {
        try (LogCapture log = new LogCapture())
        {
            RttTracker.builder().localPauseAwareness(true).build().close();
            RttTracker.builder().localPauseAwareness(true).build().close();
            System.out.println("GC-FEED " + ProcessGcPauses.isAvailable());
            log.messages(Level.WARNING).forEach(message -> System.out.println("WARNING " + message));
        }
    }
}
