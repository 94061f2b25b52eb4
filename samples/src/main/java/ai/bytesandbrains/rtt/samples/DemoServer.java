package ai.bytesandbrains.rtt.samples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP echo server on 127.0.0.1 that answers each 8-byte request id after a service time drawn from
 * its {@link LatencyModel}. One thread; requests are served concurrently (each reply waits in a queue
 * ordered by due time). Its loop ends when {@link #close()} is called or at a hard stop time.
 */
final class DemoServer implements Runnable, AutoCloseable
{
    private final String name;
    private final LatencyModel model;
    private final SplittableRandom random;
    private final long runStartNs;
    private final long hardStopNs;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;

    DemoServer(final String name, final LatencyModel model, final long seed, final long runStartNs, final long hardStopNs)
        throws IOException
    {
        this.name = name;
        this.model = model;
        this.random = new SplittableRandom(seed);
        this.runStartNs = runStartNs;
        this.hardStopNs = hardStopNs;
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        thread = new Thread(this, "demo-server-" + name);
        thread.setDaemon(true);
    }

    InetSocketAddress address() throws IOException
    {
        return (InetSocketAddress)channel.getLocalAddress();
    }

    String name()
    {
        return name;
    }

    LatencyModel model()
    {
        return model;
    }

    void start()
    {
        thread.start();
    }

    private record Reply(long dueNs, long requestId, SocketAddress to)
    {
    }

    @Override
    public void run()
    {
        final PriorityQueue<Reply> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueNs, b.dueNs));
        final ByteBuffer in = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        final ByteBuffer out = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try
        {
            while (running && System.nanoTime() < hardStopNs)
            {
                final long now = System.nanoTime();
                while (!due.isEmpty() && due.peek().dueNs <= now)
                {
                    final Reply reply = due.poll();
                    out.clear();
                    out.putLong(reply.requestId).flip();
                    channel.send(out, reply.to);
                }
                final long waitNs = due.isEmpty() ? 10_000_000L : Math.max(0, due.peek().dueNs - now);
                if (waitNs < 1_000_000)
                {
                    if (waitNs > 0)
                    {
                        LockSupport.parkNanos(Math.min(waitNs, 100_000));
                    }
                    selector.selectNow();
                }
                else
                {
                    selector.select(Math.max(1, (waitNs - 100_000) / 1_000_000));
                }
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = channel.receive(in.clear())) != null)
                {
                    if (in.position() < Long.BYTES)
                    {
                        continue;
                    }
                    final long arrived = System.nanoTime();
                    final long runTime = arrived - runStartNs;
                    if (model.answers(runTime))
                    {
                        due.add(new Reply(arrived + model.sampleNs(random, runTime), in.getLong(0), from));
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                throw new IllegalStateException("server " + name + " failed", ex);
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        selector.close();
        channel.close();
    }
}
