package ai.bytesandbrains.rtt.grpc.demo;

import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.grpc.AdaptiveDeadlineInterceptor;
import ai.bytesandbrains.rtt.grpc.EjectionListener;
import ai.bytesandbrains.rtt.grpc.PhiOutlierEjectionLoadBalancerProvider;
import ai.bytesandbrains.rtt.phi.PhiState;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC demo: four real grpc-netty echo backends on 127.0.0.1 and two channels that send the same
 * open-loop load to them at the same time. One channel uses bb-rtt (adaptive deadlines, round trips measured
 * per backend with Karn's rule, φ-based ejection over {@code round_robin}); the other a static deadline over
 * plain {@code round_robin}. Mid-run one backend slows past the static deadline, then another hangs (its
 * connections stay up, it answers nothing) and later answers again. The demo prints, per phase, calls,
 * timeouts and the wait wasted on them for each channel, and the ejection timeline. Bounded: about
 * {@code --warmup-seconds + --seconds} plus 3 s.
 *
 * <p>Run it with {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar grpc/target/grpc-demo.jar}.
 */
@Command(name = "grpc-deadline-demo", mixinStandardHelpOptions = true,
    description = "Adaptive vs static gRPC deadlines and phi ejection, on loopback.")
public final class GrpcDeadlineDemo implements Callable<Integer>
{
    private static final long MS = 1_000_000L;
    private static final String[] NAMES = {"steady", "heavy-tail", "slowing", "dying"};

    @Option(names = "--seconds", defaultValue = "15", description = "Run time, 6..60 s (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--static-ms", defaultValue = "100", description = "The static deadline (default ${DEFAULT-VALUE} ms).")
    private int staticMs;

    @Option(names = "--rate", defaultValue = "200", description = "Calls per second per channel (default ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--floor-ms", defaultValue = "20", description = "The adaptive deadline's floor (default ${DEFAULT-VALUE} ms).")
    private int floorMs;

    @Option(names = "--warmup-seconds", defaultValue = "2",
        description = "Load before the measured run, not reported: connections, JIT, a phi history (default ${DEFAULT-VALUE} s).")
    private int warmupSeconds;

    private static final StreamObserver<byte[]> IGNORE = new StreamObserver<>()
    {
        @Override
        public void onNext(final byte[] value)
        {
        }

        @Override
        public void onError(final Throwable t)
        {
        }

        @Override
        public void onCompleted()
        {
        }
    };

    @Option(names = "--chart", defaultValue = "grpc/target/grpc-demo.png",
        description = "Where to write the chart, or 'none' (default ${DEFAULT-VALUE}).")
    private String chart;

    private final ConcurrentLinkedQueue<String> timeline = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<DemoChart.Marker> markers = new ConcurrentLinkedQueue<>();
    private volatile long startNs;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new GrpcDeadlineDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (seconds < 6 || seconds > 60 || staticMs < 1 || rate < 10 || rate > 2_000 || floorMs < 1
            || floorMs > staticMs || warmupSeconds < 0 || warmupSeconds > 10)
        {
            throw new CommandLine.ParameterException(new CommandLine(this),
                "--seconds must be 6..60, --static-ms >= 1, --rate 10..2000, --floor-ms 1..static-ms,"
                    + " --warmup-seconds 0..10");
        }
        final long warmupNs = warmupSeconds * 1_000_000_000L;
        final long runNs = seconds * 1_000_000_000L;
        final long slowAtNs = runNs * 25 / 100;
        final long hangAtNs = runNs * 45 / 100;
        final long answerAtNs = runNs * 75 / 100;

        final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("demo-scheduler"));
        final List<DemoBackend> backends = new ArrayList<>();
        try (RttTracker tracker = RttTracker.builder().build())
        {
            for (final String name : NAMES)
            {
                final DemoBackend backend = new DemoBackend(name, scheduler);
                backend.latency(5 * MS, 0, 0);
                backends.add(backend);
            }
            backends.get(1).latency(5 * MS, 60 * MS, 0.05);
            final List<SocketAddress> addresses = backends.stream().map(b -> (SocketAddress)b.address()).toList();
            final StaticResolverProvider resolver = new StaticResolverProvider(addresses);
            NameResolverRegistry.getDefaultRegistry().register(resolver);
            final PhiOutlierEjectionLoadBalancerProvider ejection = new PhiOutlierEjectionLoadBalancerProvider(
                tracker, "bb_rtt_outlier_ejection_demo", System::nanoTime, new Timeline(addresses), null);
            LoadBalancerRegistry.getDefaultRegistry().register(ejection);

            final AdaptiveDeadlineInterceptor adaptive = AdaptiveDeadlineInterceptor.builder(tracker, "echo")
                .staticDefault(Duration.ofMillis(staticMs))
                .floor(Duration.ofMillis(floorMs))
                .ceiling(Duration.ofSeconds(2))
                .build();
            final ManagedChannel adaptiveChannel = NettyChannelBuilder.forTarget(resolver.target("echo"))
                .usePlaintext()
                .defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of(ejection.getPolicyName(), Map.of(
                    "childPolicy", List.of(Map.of("round_robin", Map.of())),
                    "intervalMs", 50.0, "baseEjectionMs", 1000.0, "maxEjectionMs", 10000.0,
                    "maxEjectionPercent", 50.0, "probationMs", 500.0)))))
                .intercept(adaptive)
                .build();
            final ManagedChannel staticChannel = NettyChannelBuilder.forTarget(resolver.target("echo"))
                .usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .build();

            System.out.printf("bb-rtt gRPC demo: %d grpc-netty backends on 127.0.0.1, two channels, %d calls/s each,"
                + " %d s%n", NAMES.length, rate, seconds);
            System.out.printf("  steady      5 ms%n  heavy-tail  5 ms, 5 %% of calls +60 ms%n"
                    + "  slowing     5 ms, 150 ms from %.1f s%n  dying       5 ms, hangs (connections up) from %.1f s,"
                    + " answers again from %.1f s%n",
                slowAtNs / 1e9, hangAtNs / 1e9, answerAtNs / 1e9);
            System.out.printf("adaptive: deadline = clamp(budget * 2^backoff, %d ms, 2 s), static default %d ms;"
                + " phi ejection over round_robin%nstatic:   deadline = %d ms; round_robin%n"
                + "Both channels carry the same open-loop load at once; %d s of warm-up load come first, not reported.%n%n",
                floorMs, staticMs, staticMs, warmupSeconds);

            final CallLog adaptiveLog = new CallLog();
            final CallLog staticLog = new CallLog();
            startNs = System.nanoTime() + warmupNs;
            final long periodNs = 1_000_000_000L / rate;
            final ScheduledFuture<?> load = scheduler.scheduleAtFixedRate(() ->
            {
                final long now = System.nanoTime() - startNs;
                send(adaptiveChannel, CallOptions.DEFAULT, adaptive.timeoutNs(CallOptions.DEFAULT), adaptiveLog,
                    addresses, now);
                send(staticChannel, CallOptions.DEFAULT.withDeadlineAfter(staticMs, TimeUnit.MILLISECONDS),
                    staticMs * MS, staticLog, addresses, now);
            }, 0, periodNs, TimeUnit.NANOSECONDS);
            final ScheduledFuture<?> script = scheduler.schedule(() ->
            {
                backends.get(2).latency(150 * MS, 0, 0);
                timeline.add(String.format("%6.2f s  slowing   now answers in 150 ms", seconds()));
                markers.add(new DemoChart.Marker(seconds(), "slowing: 150 ms", false));
            }, warmupNs + slowAtNs, TimeUnit.NANOSECONDS);
            scheduler.schedule(() ->
            {
                backends.get(3).hung(true);
                timeline.add(String.format("%6.2f s  dying     hangs", seconds()));
                markers.add(new DemoChart.Marker(seconds(), "dying hangs", false));
            }, warmupNs + hangAtNs, TimeUnit.NANOSECONDS);
            scheduler.schedule(() ->
            {
                backends.get(3).hung(false);
                timeline.add(String.format("%6.2f s  dying     answers again", seconds()));
                markers.add(new DemoChart.Marker(seconds(), "dying answers", false));
            }, warmupNs + answerAtNs, TimeUnit.NANOSECONDS);

            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmupNs + runNs));
            load.cancel(false);
            script.cancel(false);
            Thread.sleep(2_500); // let the last calls finish or time out (the ceiling is 2 s)

            printTable(adaptiveLog, staticLog, new long[]{0, slowAtNs, hangAtNs, answerAtNs, runNs},
                new String[]{"all fast", "one slow", "one hung", "hung one back"});
            printPerBackend(adaptiveLog, staticLog, runNs);
            System.out.println();
            System.out.printf("Adaptive channel, warm-up included: round trips measured %d; attempts skipped by Karn's"
                    + " rule %d; first-attempt timeouts %d%n",
                adaptive.tracerFactory().sampleCount(), adaptive.tracerFactory().karnSkippedCount(),
                adaptive.tracerFactory().timeoutCount());
            System.out.println();
            System.out.println("Timeline (adaptive channel's balancer; phi transitions from its scans; negative times"
                + " are the warm-up):");
            timeline.forEach(System.out::println);

            if (!"none".equals(chart))
            {
                final java.io.File file = new java.io.File(chart);
                if (file.getAbsoluteFile().getParentFile() != null)
                {
                    file.getAbsoluteFile().getParentFile().mkdirs();
                }
                DemoChart.write(file, adaptiveLog, staticLog, 250 * MS, runNs, List.copyOf(markers));
                System.out.println();
                System.out.println("Chart: " + file);
            }

            adaptiveChannel.shutdownNow();
            staticChannel.shutdownNow();
            adaptiveChannel.awaitTermination(5, TimeUnit.SECONDS);
            staticChannel.awaitTermination(5, TimeUnit.SECONDS);
            NameResolverRegistry.getDefaultRegistry().deregister(resolver);
            LoadBalancerRegistry.getDefaultRegistry().deregister(ejection);
        }
        finally
        {
            for (final DemoBackend backend : backends)
            {
                backend.close();
            }
            scheduler.shutdownNow();
        }
        return 0;
    }

    private void send(
        final ManagedChannel channel, final CallOptions options, final long deadlineNs, final CallLog log,
        final List<SocketAddress> addresses, final long sentAtNs)
    {
        final AtomicInteger backend = new AtomicInteger(-1);
        final CallOptions traced = options.withStreamTracerFactory(new ClientStreamTracer.Factory()
        {
            @Override
            public ClientStreamTracer newClientStreamTracer(final ClientStreamTracer.StreamInfo info, final Metadata headers)
            {
                return new ClientStreamTracer()
                {
                    @Override
                    public void streamCreated(final Attributes transportAttrs, final Metadata headers)
                    {
                        backend.set(addresses.indexOf(transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
                    }
                };
            }
        });
        if (sentAtNs < 0)
        {
            ClientCalls.asyncUnaryCall(channel.newCall(EchoMethod.CALL, options), new byte[]{42}, IGNORE);
            return;
        }
        final long start = System.nanoTime();
        ClientCalls.asyncUnaryCall(channel.newCall(EchoMethod.CALL, traced), new byte[]{42}, new StreamObserver<>()
        {
            @Override
            public void onNext(final byte[] value)
            {
            }

            @Override
            public void onError(final Throwable t)
            {
                log.add(new CallLog.Call(sentAtNs, deadlineNs, System.nanoTime() - start,
                    Status.fromThrowable(t).getCode(), backend.get()));
            }

            @Override
            public void onCompleted()
            {
                log.add(new CallLog.Call(sentAtNs, deadlineNs, System.nanoTime() - start, Status.Code.OK, backend.get()));
            }
        });
    }

    private static void printTable(
        final CallLog adaptive, final CallLog fixed, final long[] bounds, final String[] phases)
    {
        System.out.println("| phase | channel | calls | ok | failed | wasted wait (s) | mean deadline (ms) | p50 ok (ms) | p99 ok (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < phases.length; i++)
        {
            final String phase = String.format("%s (%.1f-%.1f s)", phases[i], bounds[i] / 1e9, bounds[i + 1] / 1e9);
            row(phase, "adaptive", adaptive.summarise(bounds[i], bounds[i + 1], -1));
            row(phase, "static", fixed.summarise(bounds[i], bounds[i + 1], -1));
        }
        row("whole run", "adaptive", adaptive.summarise(0, bounds[bounds.length - 1], -1));
        row("whole run", "static", fixed.summarise(0, bounds[bounds.length - 1], -1));
    }

    private static void printPerBackend(final CallLog adaptive, final CallLog fixed, final long runNs)
    {
        System.out.println();
        System.out.println("| backend | channel | calls | ok | timeouts | wasted wait (s) | p99 ok (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (int b = 0; b < NAMES.length; b++)
        {
            for (final String channel : new String[]{"adaptive", "static"})
            {
                final CallLog.Summary s = ("adaptive".equals(channel) ? adaptive : fixed).summarise(0, runNs, b);
                System.out.printf("| %s | %s | %d | %d | %d | %.2f | %.1f |%n",
                    NAMES[b], channel, s.calls(), s.ok(), s.timeouts(), s.wastedSeconds(), s.p99Ms());
            }
        }
    }

    private static void row(final String phase, final String channel, final CallLog.Summary s)
    {
        System.out.printf("| %s | %s | %d | %d | %d | %.2f | %.1f | %.1f | %.1f |%n", phase, channel, s.calls(), s.ok(),
            s.timeouts() + s.otherErrors(), s.wastedSeconds(), s.meanDeadlineMs(), s.p50Ms(), s.p99Ms());
    }

    private double seconds()
    {
        return (System.nanoTime() - startNs) / 1e9;
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Writes the balancer's decisions and φ transitions into the timeline. */
    private final class Timeline implements EjectionListener
    {
        private final List<SocketAddress> addresses;

        Timeline(final List<SocketAddress> addresses)
        {
            this.addresses = addresses;
        }

        @Override
        public void onEjectionEvent(
            final Event event, final SocketAddress address, final long site, final double phi, final long nowNs)
        {
            final double at = (nowNs - startNs) / 1e9;
            timeline.add(String.format("%6.2f s  %-9s %s (phi %.1f)", at, name(address), event, phi));
            if (at >= 0 && (event == Event.EJECTED || event == Event.RECOVERED))
            {
                markers.add(new DemoChart.Marker(at, (event == Event.EJECTED ? "out: " : "back: ") + name(address), true));
            }
        }

        @Override
        public void onPhiTransition(
            final SocketAddress address, final long site, final PhiState state, final double phi, final long nowNs)
        {
            timeline.add(String.format("%6.2f s  %-9s phi %s (%.1f)", (nowNs - startNs) / 1e9, name(address), state, phi));
        }

        private String name(final SocketAddress address)
        {
            final int index = addresses.indexOf(address);
            return index >= 0 ? NAMES[index] : String.valueOf(address);
        }
    }
}
