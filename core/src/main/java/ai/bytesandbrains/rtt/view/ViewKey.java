package ai.bytesandbrains.rtt.view;

/**
 * The key that lets the tracker's reader fill a view, and no one else: a view's {@code fill} is public
 * only because the reader lives in another package, and it refuses to run without the one key, which
 * {@link #ViewKey(Object)} hands out once. Immutable; thread-safe.
 */
public final class ViewKey
{
    private static final Object LOCK = new Object();
    private static volatile ViewKey issued; // volatile: checked on any reading thread without the lock

    private ViewKey(final Object unused)
    {
    }

    /**
     * Issue the key: the first caller, the reader's class initialiser, gets it; every later call throws.
     * Thread-safe.
     *
     * @return the key.
     * @throws IllegalStateException when already issued.
     */
    public static ViewKey issue()
    {
        synchronized (LOCK)
        {
            if (issued != null)
            {
                throw new IllegalStateException("the view key was issued to the tracker's reader");
            }
            issued = new ViewKey(null);
            return issued;
        }
    }

    static void check(final ViewKey key)
    {
        if (key == null || key != issued)
        {
            throw new IllegalArgumentException("views are filled by the tracker's reader only");
        }
    }
}
