package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.internal.ColdEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what bb-rtt logs while open. The default {@code LoggerFinder} routes {@link System.Logger}
 * to the {@code java.util.logging} logger of the same name, so a handler on it sees every record.
 * Thread-safe: handlers are called on the logging thread.
 */
final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger = Logger.getLogger(ColdEvents.LOGGER_NAME); // held: JUL keeps loggers weakly
    private final List<LogRecord> records = new ArrayList<>();

    LogCapture()
    {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(final LogRecord record)
    {
        records.add(record);
    }

    /** @return the messages logged at {@code level} so far. */
    synchronized List<String> messages(final Level level)
    {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
    }
}
