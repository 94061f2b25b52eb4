package ai.bytesandbrains.rtt;

/**
 * Thrown when a tracker, tracker file or file reader is constructed in a JVM where Agrona cannot work
 * as bb-rtt needs it: the {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} flag is missing,
 * or the Agrona on the class path is older than the supported range. The message names the fault, the
 * flag, the ways to pass it and the supported Agrona versions; see {@link AgronaCheck}.
 *
 * <p>It is thrown by every construction while the fault lasts, not only the first, and never after
 * construction: a tracker that was built never throws it.
 */
public final class AgronaSetupException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it.
     * @param cause   the error Agrona raised, or {@code null} when the fault was found by inspection.
     */
    AgronaSetupException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
