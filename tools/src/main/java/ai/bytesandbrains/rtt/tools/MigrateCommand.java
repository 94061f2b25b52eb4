package ai.bytesandbrains.rtt.tools;

import ai.bytesandbrains.rtt.RttTrackerConfig;
import ai.bytesandbrains.rtt.file.TrackerFileException;
import ai.bytesandbrains.rtt.file.TrackerFileReader;
import ai.bytesandbrains.rtt.view.RttTrackerSnapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/**
 * {@code rtt-stat migrate}: carry a tracker file's state into a new configuration through the snapshot
 * path: OLD is read read-only, a new file is created with OLD's configuration changed as asked, and
 * the snapshot is imported into it, all or nothing ({@link NewTrackerFile}). A migration that would
 * lose anything (fewer sites, edges, chains or reports than stored, a history longer than the new
 * history capacity or holding a value it would clamp) is refused with the reason, before any file is
 * made. Timestamps are forgotten, as on any restart.
 *
 * <p>While it reads OLD it holds a shared lock on it: a writer still running is refused (what it wrote
 * after the copy would be lost) and none can start until the copy is made. The lock is taken after the
 * reader has mapped the file, since closing any descriptor of a file drops this process's locks on it
 * (POSIX). For the same reason, run it in its own process, as the rtt-stat jar does: in a process that
 * has OLD open for writing, closing the lock's descriptor would drop that writer's lock.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Create tracker file NEW holding the state of OLD under a new configuration: OLD's, with the" +
        " settings given here changed. Refuses to overwrite NEW, to copy a file whose writer runs, and any change" +
        " that would lose data. OLD is only read; NEW appears only when complete.")
final class MigrateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The tracker file to migrate (its writer stopped).")
    private Path old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The tracker file to create; must not exist.")
    private Path target;

    @Option(names = "--site-capacity", paramLabel = "N", description = "Sites tracked at most.")
    private Integer siteCapacity;

    @Option(names = "--edge-capacity", paramLabel = "N", description = "Per-edge EMAs tracked at most.")
    private Integer edgeCapacity;

    @Option(names = "--chain-capacity", paramLabel = "N", description = "Chain priors tracked at most.")
    private Integer chainCapacity;

    @Option(names = "--reported-capacity", paramLabel = "N", description = "Reverse-path reports stored at most.")
    private Integer reportedCapacity;

    @Option(names = "--history-capacity", paramLabel = "N", description = "Inter-arrival times kept per site.")
    private Integer historyCapacity;

    @Option(names = "--suspect-phi", paramLabel = "PHI", description = "phi above which a site is suspect.")
    private Double suspectPhi;

    @Option(names = "--down-phi", paramLabel = "PHI", description = "phi above which a site is down.")
    private Double downPhi;

    @Option(names = "--prior-stripes", paramLabel = "N",
        description = "Stripes of the global and chain priors, a power of two in 1..64 (writer threads that update them " +
            "without a locked instruction).")
    private Integer priorStripes;

    @Override
    public Integer call() throws IOException
    {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) // checked again when NEW is made; early, to fail fast
        {
            throw new TrackerFileException(target, TrackerFileException.Reason.EXISTS,
                "refusing to overwrite it; choose a new file name or delete it first");
        }
        try (TrackerFileReader reader = TrackerFileReader.open(old);
             FileChannel channel = FileChannel.open(old, StandardOpenOption.READ);
             FileLock ignored = sharedLock(channel))
        {
            final RttTrackerConfig config = newConfig(reader.config());
            final RttTrackerSnapshot snapshot = SnapshotConsistency.settle(reader.snapshot());
            try
            {
                SnapshotConsistency.require(config, snapshot);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("refusing to migrate " + old + ", it would lose data: " +
                    ex.getMessage(), ex);
            }
            final long sites = NewTrackerFile.write(target, config, snapshot);
            spec.commandLine().getOut().println("migrated " + sites + " sites from " + old + " into " + target);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private FileLock sharedLock(final FileChannel channel) throws IOException
    {
        FileLock lock;
        try
        {
            lock = channel.tryLock(0, Long.MAX_VALUE, true);
        }
        catch (final OverlappingFileLockException ex)
        {
            lock = null; // a writer in this process
        }
        if (lock == null)
        {
            throw new TrackerFileException(old, TrackerFileException.Reason.LOCKED,
                "a writer has it open; stop it first, or what it writes after the copy would be lost");
        }
        return lock;
    }

    /** OLD's configuration with the options given; an invalid result is a usage error naming the setting. */
    private RttTrackerConfig newConfig(final RttTrackerConfig oldConfig)
    {
        final RttTrackerConfig.Builder builder = oldConfig.toBuilder();
        if (siteCapacity != null)
        {
            builder.siteCapacity(siteCapacity);
        }
        if (edgeCapacity != null)
        {
            builder.edgeCapacity(edgeCapacity);
        }
        if (chainCapacity != null)
        {
            builder.chainCapacity(chainCapacity);
        }
        if (reportedCapacity != null)
        {
            builder.reportedCapacity(reportedCapacity);
        }
        if (historyCapacity != null)
        {
            builder.historyCapacity(historyCapacity);
        }
        if (suspectPhi != null)
        {
            builder.suspectPhi(suspectPhi);
        }
        if (downPhi != null)
        {
            builder.downPhi(downPhi);
        }
        if (priorStripes != null)
        {
            builder.priorStripes(priorStripes);
        }
        try
        {
            return builder.toConfig();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid new configuration: " + ex.getMessage(), ex);
        }
    }
}
