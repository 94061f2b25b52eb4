package ai.bytesandbrains.rtt.grpc.demo;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One echo backend: a real grpc-netty server on {@code 127.0.0.1} and an ephemeral port, whose behaviour can
 * be changed while it runs: a service time (base plus, with some probability, a tail), hanging (calls are
 * accepted and never answered; connections stay up, as in a stalled process), and per-attempt behaviours for
 * retry and hedging tests. Responses are delayed on a shared scheduler, never by blocking a thread.
 *
 * <p>Thread-safe: the setters may be called from any thread while calls are served.
 */
public final class DemoBackend implements AutoCloseable
{
    /** How a backend treats the attempts of one call. */
    public enum AttemptMode
    {
        /** Every attempt is served alike. */
        NORMAL,
        /** A first attempt fails with {@code UNAVAILABLE}; retries are served. */
        FAIL_FIRST_ATTEMPT,
        /** A first attempt is held for {@code slowFirstAttemptNs}; later attempts (hedges) are served. */
        SLOW_FIRST_ATTEMPT
    }

    private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
        Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final ServerServiceDefinition service;
    private final InetSocketAddress address;
    private volatile Server server;
    private final LongAdder received = new LongAdder();
    private volatile long baseDelayNs;
    private volatile long tailDelayNs;
    private volatile double tailProbability;
    private volatile boolean hung;
    private volatile AttemptMode attemptMode = AttemptMode.NORMAL;
    private volatile long slowFirstAttemptNs = TimeUnit.MILLISECONDS.toNanos(300);

    /**
     * Starts the server. Any thread.
     *
     * @param name      for reports.
     * @param scheduler delays the responses.
     * @throws IOException when the port cannot be bound.
     */
    public DemoBackend(final String name, final ScheduledExecutorService scheduler) throws IOException
    {
        this.name = name;
        this.scheduler = scheduler;
        this.service = ServerServiceDefinition.builder(EchoMethod.SERVICE)
            .addMethod(EchoMethod.CALL, new Handler())
            .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(service)
            .build()
            .start();
        this.address = (InetSocketAddress)server.getListenSockets().get(0);
    }

    /**
     * Kills the server at once, as a crashed process: connections are reset, the port refuses. Any thread.
     *
     * @throws InterruptedException when interrupted while waiting for the server to stop.
     */
    public void kill() throws InterruptedException
    {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Starts a new server on the same address after {@link #kill()}, as a restarted process. Any thread.
     *
     * @throws IOException when the port cannot be bound again.
     */
    public void restart() throws IOException
    {
        server = NettyServerBuilder.forAddress(address).addService(service).build().start();
    }

    /**
     * Any thread.
     *
     * @return the name given.
     */
    public String name()
    {
        return name;
    }

    /**
     * Any thread.
     *
     * @return the server's loopback address.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Any thread; a moment's value.
     *
     * @return attempts received so far.
     */
    public long received()
    {
        return received.sum();
    }

    /**
     * Any thread: applies to attempts that arrive afterwards.
     *
     * @param baseNs          service time of every call.
     * @param tailNs          extra time of a call in the tail.
     * @param tailProbability chance that a call is in the tail, 0..1.
     */
    public void latency(final long baseNs, final long tailNs, final double tailProbability)
    {
        this.baseDelayNs = baseNs;
        this.tailDelayNs = tailNs;
        this.tailProbability = tailProbability;
    }

    /**
     * Any thread.
     *
     * @param hung {@code true}: accept calls and never answer them; {@code false}: answer again.
     */
    public void hung(final boolean hung)
    {
        this.hung = hung;
    }

    /**
     * Any thread.
     *
     * @param mode how attempts are treated.
     */
    public void attemptMode(final AttemptMode mode)
    {
        this.attemptMode = mode;
    }

    /**
     * Stops the server at once. Any thread.
     */
    @Override
    public void close() throws InterruptedException
    {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Handler implements ServerCallHandler<byte[], byte[]>
    {
        @Override
        public ServerCall.Listener<byte[]> startCall(final ServerCall<byte[], byte[]> call, final Metadata headers)
        {
            received.increment();
            call.request(1);
            final boolean firstAttempt = headers.get(PREVIOUS_ATTEMPTS) == null;
            return new ServerCall.Listener<>()
            {
                private byte[] request = new byte[0];

                @Override
                public void onMessage(final byte[] message)
                {
                    request = message;
                }

                @Override
                public void onHalfClose()
                {
                    serve(call, request, firstAttempt);
                }
            };
        }
    }

    private void serve(final ServerCall<byte[], byte[]> call, final byte[] request, final boolean firstAttempt)
    {
        if (hung)
        {
            return; // the client's deadline cancels it
        }
        final AttemptMode mode = attemptMode;
        if (mode == AttemptMode.FAIL_FIRST_ATTEMPT && firstAttempt)
        {
            call.close(Status.UNAVAILABLE.withDescription("first attempt refused"), new Metadata());
            return;
        }
        long delayNs = baseDelayNs;
        if (tailProbability > 0 && ThreadLocalRandom.current().nextDouble() < tailProbability)
        {
            delayNs += tailDelayNs;
        }
        if (mode == AttemptMode.SLOW_FIRST_ATTEMPT && firstAttempt)
        {
            delayNs += slowFirstAttemptNs;
        }
        if (delayNs <= 0)
        {
            respond(call, request);
        }
        else
        {
            scheduler.schedule(() -> respond(call, request), delayNs, TimeUnit.NANOSECONDS);
        }
    }

    private static void respond(final ServerCall<byte[], byte[]> call, final byte[] request)
    {
        if (call.isCancelled())
        {
            return;
        }
        try
        {
            call.sendHeaders(new Metadata());
            call.sendMessage(request);
            call.close(Status.OK, new Metadata());
        }
        catch (final IllegalStateException cancelledMeanwhile)
        {
            // the client gave up between the check and the send: nothing to answer
        }
    }
}
