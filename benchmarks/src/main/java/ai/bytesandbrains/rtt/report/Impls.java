package ai.bytesandbrains.rtt.report;

import ai.bytesandbrains.rtt.Trackers;

import java.util.List;

/** The {@code impl} parameter values the reports compare, core first (as {@code Trackers} names them). */
public final class Impls
{
    public static final String CORE = Trackers.CORE;
    public static final String SYNCHRONIZED = Trackers.SYNCHRONIZED;
    public static final String ATOMIC_REF = Trackers.ATOMIC_REF;
    public static final String JCTOOLS = Trackers.JCTOOLS;
    /** Every implementation, core first. */
    public static final List<String> ALL = List.of(CORE, SYNCHRONIZED, ATOMIC_REF, JCTOOLS);
    /** The baselines core is measured against. */
    public static final List<String> BASELINES = List.of(SYNCHRONIZED, ATOMIC_REF, JCTOOLS);

    private Impls()
    {
    }
}
