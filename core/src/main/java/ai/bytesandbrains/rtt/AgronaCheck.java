package ai.bytesandbrains.rtt;

import org.agrona.concurrent.AtomicBuffer;

import java.net.URL;
import java.security.CodeSource;

/**
 * Checks, once per JVM, that the Agrona on the class path is one bb-rtt supports and that it can reach
 * {@code jdk.internal.misc}; every tracker, {@code TrackerFile} and {@code TrackerFileReader}
 * construction calls {@link #requireUsable()} first.
 *
 * <p>Without the check, a missing flag surfaces as Agrona's {@code IllegalAccessError} on the first
 * build and as {@code NoClassDefFoundError: Could not initialize class org.agrona.BufferUtil} on every
 * later one, and an Agrona 1.x (as Aeron 1.4x brings) lets a tracker be built and then fails its first
 * observe with {@code NoSuchMethodError}. With it, each of these is one {@link AgronaSetupException}
 * that says what to do, thrown at construction every time.
 *
 * <p>The probe runs in a holder class's initialiser, so it runs once and costs nothing afterwards;
 * no hot path calls this class.
 */
public final class AgronaCheck
{
    /** The JVM flag Agrona 2.x needs when it is on the class path. */
    public static final String REQUIRED_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    /** Oldest Agrona with the acquire/release and compare-and-exchange accessors bb-rtt uses. */
    public static final String MIN_AGRONA_VERSION = "2.1.0";

    /** The Agrona this release is built and tested with. */
    public static final String TESTED_AGRONA_VERSION = "2.6.0";

    private static final String INTERNAL_PACKAGE = "jdk.internal.misc";

    private AgronaCheck()
    {
    }

    /** Holds the probe's outcome, computed on first use: {@code null} when Agrona is usable. */
    private static final class Holder
    {
        static final Problem PROBLEM = probe();
    }

    /** Why Agrona is not usable: the exception's message and cause. */
    private record Problem(String message, Throwable cause)
    {
    }

    /**
     * Throw unless Agrona is usable in this JVM. The first call probes (loads and initialises Agrona's
     * {@code BufferUtil}); every later call reads the cached outcome. Thread-safe, any thread; call it
     * at start-up to fail fast, before building a tracker.
     *
     * @throws AgronaSetupException when the flag is missing or Agrona is too old; every call, not only
     *                              the first.
     */
    public static void requireUsable()
    {
        final Problem problem = Holder.PROBLEM;
        if (problem != null)
        {
            throw new AgronaSetupException(problem.message(), problem.cause());
        }
    }

    private static Problem probe()
    {
        final String missing = missingAccessor();
        if (missing != null)
        {
            return new Problem(tooOldMessage(missing), null);
        }
        try
        {
            // BufferUtil's initialiser reaches jdk.internal.misc.Unsafe through Agrona's UnsafeApi, as every
            // buffer does: it fails exactly when a tracker would.
            Class.forName("org.agrona.BufferUtil", true, AtomicBuffer.class.getClassLoader());
            return null;
        }
        catch (final LinkageError ex)
        {
            return new Problem(noAccessMessage(ex), ex);
        }
        catch (final ClassNotFoundException ex)
        {
            return new Problem("bb-rtt cannot use Agrona: org.agrona.BufferUtil is missing (" + agronaFound() +
                "). Supported Agrona: " + supportedRange() + ".", ex);
        }
    }

    /** An {@link AtomicBuffer} method bb-rtt calls that Agrona 1.x and 2.0 lack. */
    private record Accessor(String name, Class<?>... parameterTypes)
    {
    }

    private static final Accessor[] ACCESSORS_SINCE_2_1 = {
        new Accessor("putLongRelease", int.class, long.class),
        new Accessor("getLongAcquire", int.class),
        new Accessor("putIntRelease", int.class, int.class),
        new Accessor("getIntAcquire", int.class),
        new Accessor("compareAndExchangeLong", int.class, long.class, long.class),
    };

    /** The first accessor bb-rtt calls that this Agrona lacks, or {@code null}. */
    private static String missingAccessor()
    {
        for (final Accessor accessor : ACCESSORS_SINCE_2_1)
        {
            try
            {
                AtomicBuffer.class.getMethod(accessor.name(), accessor.parameterTypes());
            }
            catch (final NoSuchMethodException ex)
            {
                return accessor.name();
            }
        }
        return null;
    }

    private static String tooOldMessage(final String missing)
    {
        return "bb-rtt needs Agrona " + supportedRange() + ", but the Agrona found (" + agronaFound() +
            ") has no AtomicBuffer." + missing + ": it is Agrona 1.x or 2.0, often brought in by Aeron 1.4x " +
            "or an older dependency. Depend on org.agrona:agrona " + TESTED_AGRONA_VERSION +
            " (or another supported version) so that it wins dependency resolution (mvn dependency:tree, " +
            "gradle dependencies show who brings the old one). Agrona 2.x then also needs the JVM flag\n" +
            "    " + REQUIRED_FLAG + "\n" + howToPass(REQUIRED_FLAG);
    }

    private static String noAccessMessage(final LinkageError cause)
    {
        final Module agrona = AtomicBuffer.class.getModule();
        final String target = agrona.isNamed() ? agrona.getName() : "ALL-UNNAMED";
        final String flag = "--add-exports java.base/" + INTERNAL_PACKAGE + "=" + target;
        final boolean exported = Object.class.getModule().isExported(INTERNAL_PACKAGE, agrona);
        final String fault = exported ?
            "Agrona (" + agronaFound() + ") failed to initialise although java.base exports " + INTERNAL_PACKAGE +
            " to it: " + cause :
            "this JVM does not export java.base/" + INTERNAL_PACKAGE + " to " +
            (agrona.isNamed() ? "module " + target : "the class path") + ", which Agrona " +
            supportedRange() + " reads (" + agronaFound() + ")";
        return "bb-rtt cannot use Agrona: " + fault + ". Start every JVM that runs bb-rtt with\n" +
            "    " + flag + "\n" + howToPass(flag);
    }

    private static String howToPass(final String flag)
    {
        return "Ways to pass it:\n" +
            "  any java launch:      JDK_JAVA_OPTIONS=\"" + flag + "\"\n" +
            "  Maven (exec:java):    MAVEN_OPTS, or a line in .mvn/jvm.config\n" +
            "  Maven tests:          maven-surefire-plugin <argLine>" + flag + "</argLine>\n" +
            "  Gradle:               test { jvmArgs '" + flag + "' }; " +
            "application { applicationDefaultJvmArgs = ['" + flag + "'] }\n" +
            "  java -jar:            the jar's manifest attribute  Add-Exports: java.base/" + INTERNAL_PACKAGE +
            "\n" +
            "Supported Agrona: " + supportedRange() + " (built and tested with " + TESTED_AGRONA_VERSION + ").";
    }

    private static String supportedRange()
    {
        return MIN_AGRONA_VERSION + " or later 2.x";
    }

    /** Version and location of the Agrona loaded, as far as its jar tells. */
    private static String agronaFound()
    {
        final String version = AtomicBuffer.class.getPackage().getImplementationVersion();
        URL location = null;
        try
        {
            final CodeSource source = AtomicBuffer.class.getProtectionDomain().getCodeSource();
            location = source == null ? null : source.getLocation();
        }
        catch (final SecurityException ex)
        {
            // a security manager hides it: the message goes without the location
        }
        return "version " + (version == null ? "unknown" : version) + (location == null ? "" : " from " + location);
    }
}
