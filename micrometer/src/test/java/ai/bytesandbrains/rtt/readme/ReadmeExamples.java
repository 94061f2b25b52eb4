package ai.bytesandbrains.rtt.readme;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles and runs the Java example a module's README holds between {@code <!-- begin:example -->} and
 * {@code <!-- end:example -->}, with the test classpath, so that the README cannot drift from the API.
 * Shared with the agent module's tests through this module's test-jar. Not thread-safe: swaps
 * {@link System#out} while the example runs.
 */
public final class ReadmeExamples
{
    private static final Pattern EXAMPLE = Pattern.compile(
        "<!-- begin:example -->\\s*```java\\n(.*?)```\\s*<!-- end:example -->", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public final class (\\w+)");

    private ReadmeExamples()
    {
    }

    /**
     * @param readme  the README, relative to the module (surefire's working directory).
     * @param workDir an empty directory for the source and classes.
     * @return what the example printed.
     * @throws Exception when the README has no example, it does not compile, or its main throws.
     */
    public static String compileAndRun(final Path readme, final Path workDir) throws Exception
    {
        final Matcher example = EXAMPLE.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        if (!example.find())
        {
            throw new AssertionError(readme + " has no example between begin:example and end:example");
        }
        final String source = example.group(1);
        final Matcher className = CLASS_NAME.matcher(source);
        if (!className.find())
        {
            throw new AssertionError("the example declares no public final class");
        }
        final Path file = workDir.resolve(className.group(1) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        compile(file, workDir);
        return run(className.group(1), workDir);
    }

    private static void compile(final Path file, final Path workDir) throws IOException
    {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        // surefire's own class path may be one manifest-only jar; this property holds the real one
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final int status = compiler.run(null, errors, errors,
            "-classpath", classPath, "-d", workDir.toString(), "-Xlint:all", "-Werror", file.toString());
        if (status != 0)
        {
            throw new AssertionError("the README example does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    private static String run(final String className, final Path workDir) throws Exception
    {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(
            new URL[] {workDir.toUri().toURL()}, ReadmeExamples.class.getClassLoader());
             PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            loader.loadClass(className).getMethod("main", String[].class).invoke(null, (Object)new String[0]);
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause() instanceof Exception ? (Exception)ex.getCause() : ex;
        }
        finally
        {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
