package ai.bytesandbrains.rtt.report;

import java.util.Locale;

/** How the reports print numbers: three significant figures or so, and "missing" for a result not run. */
final class Format
{
    static final String MISSING = "missing";

    private Format()
    {
    }

    static String number(final double v)
    {
        if (Double.isNaN(v))
        {
            return MISSING;
        }
        final double a = Math.abs(v);
        if (a != 0 && a < 0.01)
        {
            return String.format(Locale.ROOT, "%.2g", v); // a tail ratio such as 0.00076 keeps its digits
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    static String ratio(final double v)
    {
        return Double.isNaN(v) ? MISSING : number(v) + "x";
    }
}
