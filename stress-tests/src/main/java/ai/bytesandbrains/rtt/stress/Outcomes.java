package ai.bytesandbrains.rtt.stress;

/**
 * Names for the states a stress test can end in, so that each arbiter reports one readable string
 * and the {@code @Outcome} ids stay compile-time constants while the expected values are computed
 * from the real core code in each test's static initialiser.
 *
 * <p>A value that matches no expected candidate is reported in hex, so a FORBIDDEN outcome in the
 * jcstress report shows exactly what was seen.
 */
public final class Outcomes
{
    /** Value of every canary word; any other value means an operation wrote outside its target. */
    public static final long CANARY = 0x5EED_CAFE_F00D_D00DL;

    private Outcomes()
    {
    }

    /**
     * @param actual     the value seen.
     * @param candidates expected values, parallel to {@code names}.
     * @param names      a name per candidate.
     * @return the name of the first candidate equal to {@code actual}, else {@code "0x<hex>"}.
     */
    public static String name(final long actual, final long[] candidates, final String[] names)
    {
        for (int i = 0; i < candidates.length; i++)
        {
            if (candidates[i] == actual)
            {
                return names[i];
            }
        }
        return "0x" + Long.toHexString(actual);
    }

    /**
     * @param actual   the value seen.
     * @param expected the one expected value.
     * @param name     its name.
     * @return {@code name}, else {@code "0x<hex>"}.
     */
    public static String name(final long actual, final long expected, final String name)
    {
        return actual == expected ? name : "0x" + Long.toHexString(actual);
    }

    /**
     * @param canaries canary words read back.
     * @return {@code "ok"} when every canary is intact, else {@code "HIT"}.
     */
    public static String canaries(final long... canaries)
    {
        for (final long canary : canaries)
        {
            if (canary != CANARY)
            {
                return "HIT";
            }
        }
        return "ok";
    }

    /**
     * Fail class initialisation when two expected states that a test must tell apart coincide.
     *
     * @param a    one state.
     * @param b    another.
     * @param what what they are.
     */
    public static void requireDistinct(final long a, final long b, final String what)
    {
        if (a == b)
        {
            throw new AssertionError(what + " coincide (0x" + Long.toHexString(a) + "): pick other samples");
        }
    }

    /**
     * Fail class initialisation when any two expected states coincide.
     *
     * @param states the states.
     * @param what   what they are.
     */
    public static void requireAllDistinct(final long[] states, final String what)
    {
        for (int i = 0; i < states.length; i++)
        {
            for (int j = i + 1; j < states.length; j++)
            {
                requireDistinct(states[i], states[j], what + " " + i + " and " + j);
            }
        }
    }
}
