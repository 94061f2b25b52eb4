package ai.bytesandbrains.rtt.samples;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.inflight.InFlightTracker;
import ai.bytesandbrains.rtt.phi.PhiState;
import ai.bytesandbrains.rtt.view.SiteView;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the workload from a single-threaded client event loop: every server gets a request every
 * {@code intervalNs} for {@code runNs}, each with a deadline from an {@link InFlightTracker}. In the
 * adaptive run the deadline is the tracker's budget (bounded by a floor and a ceiling) and a dead server
 * is found by the φ-accrual scan; in the static run the deadline is a fixed timeout and a dead server is
 * found by counting consecutive timeouts, the usual alternative. Both runs feed the tracker the same way,
 * including the late answers of timed-out requests: a request sent once has an unambiguous round trip
 * even when it comes after the deadline.
 */
final class DemoRun
{
    /** Consecutive timeouts that make the static run report Suspect, and Down. */
    static final int STATIC_SUSPECT_TIMEOUTS = 3;
    static final int STATIC_DOWN_TIMEOUTS = 5;

    private static final int IN_TIME = 1;
    private static final int TIMED_OUT = 2;
    private static final int LATE = 3;

    private final List<DemoServer> servers;
    private final int deadServer;
    private final long deathNs;
    private final long runNs;
    private final long intervalNs;
    private final long drainNs;
    private final boolean adaptive;
    private final long staticTimeoutNs;
    private final long minBudgetNs;
    private final long maxBudgetNs;
    private final List<SeriesRecorder> recorders;

    DemoRun(
        final List<DemoServer> servers, final int deadServer, final long runNs, final long intervalNs, final long drainNs,
        final boolean adaptive, final long staticTimeoutNs, final long minBudgetNs, final long maxBudgetNs,
        final List<SeriesRecorder> recorders)
    {
        this.servers = servers;
        this.deadServer = deadServer;
        this.deathNs = servers.get(deadServer).model().silentFromNs();
        this.runNs = runNs;
        this.intervalNs = intervalNs;
        this.drainNs = drainNs;
        this.adaptive = adaptive;
        this.staticTimeoutNs = staticTimeoutNs;
        this.minBudgetNs = minBudgetNs;
        this.maxBudgetNs = maxBudgetNs;
        this.recorders = recorders;
    }

    RunResult run(final long runStartNs) throws IOException
    {
        final int n = servers.size();
        final RunResult result = new RunResult(adaptive ? "adaptive" : "static");
        final int maxRequests = (int)(n * (runNs / intervalNs + 2));
        final long[] sentAtNs = new long[maxRequests];
        final int[] serverOf = new int[maxRequests];
        final byte[] state = new byte[maxRequests];
        final int[] consecutiveTimeouts = new int[n];
        final PhiState[] staticState = new PhiState[n];
        java.util.Arrays.fill(staticState, PhiState.LIVE);
        final InetSocketAddress[] addresses = new InetSocketAddress[n];
        for (int i = 0; i < n; i++)
        {
            addresses[i] = servers.get(i).address();
        }

        try (RttTracker tracker = RttTracker.builder().siteCapacity(64).historyCapacity(1000).build();
            DatagramChannel channel = DatagramChannel.open())
        {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            final InFlightTracker inFlight = InFlightTracker.builder(tracker)
                .capacity(8192)
                .staticDefaultNs(staticTimeoutNs)
                .budgetBoundsNs(adaptive ? minBudgetNs : staticTimeoutNs, adaptive ? maxBudgetNs : staticTimeoutNs)
                .wheel(1L << 17, 4096)
                .startTimeNs(runStartNs)
                .timeoutHandler((id, site, chain, hop, sentAt, deadline, now) ->
                {
                    final int server = (int)site;
                    state[(int)id] = TIMED_OUT;
                    result.timedOut++;
                    final long waited = now - sentAt;
                    result.waitOnFailedNs += waited;
                    result.outcomeNs.recordValue(waited);
                    if (server == deadServer && sentAt - runStartNs >= deathNs)
                    {
                        result.waitOnDeadServerNs += waited;
                    }
                    if (!adaptive)
                    {
                        staticDetector(result, server, ++consecutiveTimeouts[server], staticState, now - runStartNs);
                    }
                })
                .build();

            final long[] nextSendNs = new long[n];
            for (int i = 0; i < n; i++)
            {
                nextSendNs[i] = runStartNs + i * intervalNs / n;
            }
            final ByteBuffer out = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer in = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
            final SiteView view = new SiteView();
            final long endNs = runStartNs + runNs;
            final long stopNs = endNs + drainNs;
            long nextScanNs = runStartNs;
            long nextSampleNs = runStartNs;
            int nextId = 0;
            long now;
            while ((now = System.nanoTime()) < stopNs)
            {
                boolean busy = false;
                for (int i = 0; i < n && now < endNs; i++)
                {
                    while (nextSendNs[i] <= now && nextId < maxRequests)
                    {
                        final int id = nextId++;
                        sentAtNs[id] = now;
                        serverOf[id] = i;
                        inFlight.onSend(id, i, now);
                        out.clear();
                        out.putLong(id).flip();
                        channel.send(out, addresses[i]);
                        result.sent++;
                        nextSendNs[i] += intervalNs;
                        busy = true;
                    }
                }
                while (channel.receive(in.clear()) != null)
                {
                    busy = true;
                    now = System.nanoTime();
                    final int id = (int)in.getLong(0);
                    if (id < 0 || id >= nextId)
                    {
                        continue;
                    }
                    final int code = inFlight.onResponse(id, now);
                    if (code == InFlightTracker.RESPONSE_SAMPLED)
                    {
                        state[id] = IN_TIME;
                        result.answeredInTime++;
                        result.answeredNs.recordValue(now - sentAtNs[id]);
                        result.outcomeNs.recordValue(now - sentAtNs[id]);
                        consecutiveTimeouts[serverOf[id]] = 0;
                        staticState[serverOf[id]] = PhiState.LIVE;
                    }
                    else if (code == InFlightTracker.RESPONSE_UNKNOWN && state[id] == TIMED_OUT)
                    {
                        // Sent once, so its round trip is unambiguous: a valid sample even though late.
                        state[id] = LATE;
                        result.falseTimeouts++;
                        tracker.observeRoundTrip(serverOf[id], now - sentAtNs[id], now);
                    }
                }
                inFlight.pollTimeouts(now);
                if (adaptive && now >= nextScanNs && now < endNs)   // no requests after the end: no heartbeats
                {
                    final long scanAt = now;
                    tracker.scanPhi(now, (site, phiState, phi) -> phiDetector(result, (int)site, phiState, scanAt - runStartNs));
                    nextScanNs = now + 5_000_000L;
                }
                if (recorders != null && now >= nextSampleNs && now < endNs)
                {
                    for (int i = 0; i < n; i++)
                    {
                        final double srtt = tracker.readSite(i, view) ? view.srttNs() : 0;
                        final long budget = Math.max(minBudgetNs, Math.min(maxBudgetNs, tracker.estimateBudgetNs(i, staticTimeoutNs)));
                        recorders.get(i).record((now - runStartNs) / 1e9, srtt, budget, tracker.phi(i, now));
                    }
                    nextSampleNs = now + 50_000_000L;
                }
                if (!busy)
                {
                    LockSupport.parkNanos(50_000);
                }
            }
        }
        return result;
    }

    private void staticDetector(
        final RunResult result, final int server, final int timeouts, final PhiState[] states, final long runTimeNs)
    {
        if (timeouts == STATIC_SUSPECT_TIMEOUTS && states[server] == PhiState.LIVE)
        {
            states[server] = PhiState.SUSPECT;
            report(result, server, PhiState.SUSPECT, runTimeNs);
        }
        else if (timeouts == STATIC_DOWN_TIMEOUTS && states[server] != PhiState.DOWN)
        {
            states[server] = PhiState.DOWN;
            report(result, server, PhiState.DOWN, runTimeNs);
        }
    }

    private void phiDetector(final RunResult result, final int server, final PhiState state, final long runTimeNs)
    {
        if (state != PhiState.LIVE)
        {
            report(result, server, state, runTimeNs);
        }
    }

    private void report(final RunResult result, final int server, final PhiState state, final long runTimeNs)
    {
        final boolean real = server == deadServer && runTimeNs >= deathNs;
        if (real)
        {
            if (state == PhiState.SUSPECT && result.suspectAfterNs < 0)
            {
                result.suspectAfterNs = runTimeNs - deathNs;
            }
            if (state == PhiState.DOWN && result.downAfterNs < 0)
            {
                result.downAfterNs = runTimeNs - deathNs;
                if (result.suspectAfterNs < 0)
                {
                    result.suspectAfterNs = result.downAfterNs;
                }
            }
            return;
        }
        if (state == PhiState.SUSPECT)
        {
            result.falseSuspects++;
        }
        else
        {
            result.falseDowns++;
        }
        result.falseReports += String.format(" %s %s at %.2fs;", servers.get(server).name(), state, runTimeNs / 1e9);
    }
}
