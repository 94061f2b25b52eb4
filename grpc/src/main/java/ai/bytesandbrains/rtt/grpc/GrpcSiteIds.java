package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.SiteIds;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Site ids for gRPC backends: 64-bit FNV-1a over the UTF-8 bytes of {@code "host:port"}, where host is the
 * literal IP of an {@link InetSocketAddress} ({@code "127.0.0.1:50051"}, {@code "[::1]:50051"}), or its host
 * string when unresolved. Any other {@link SocketAddress} (in-process, Unix domain) hashes its
 * {@code toString()}.
 *
 * <p>The hash is core's {@link SiteIds#of(CharSequence)} (the FNV-1a of {@code ChainIds}; unchanged since this
 * class computed it itself), so {@code SiteIds.of("127.0.0.1:50051")} is the site the tracer observes for that
 * backend, and a peer in any language that hashes the same string gets the same id.
 *
 * <p>Pure functions; thread-safe. {@link #of(CharSequence)} does not allocate; the {@link SocketAddress}
 * forms build the {@code host:port} string (use {@link SiteIdCache} on a per-call path).
 */
public final class GrpcSiteIds
{
    private GrpcSiteIds()
    {
    }

    /**
     * Thread-safe, allocation-free.
     *
     * @param hostPort a {@code host:port} string.
     * @return its site id.
     */
    public static long of(final CharSequence hostPort)
    {
        return SiteIds.of(hostPort);
    }

    /**
     * Thread-safe; allocates the {@code host:port} string.
     *
     * @param address a backend's address.
     * @return its site id, {@code of(hostPort(address))}.
     */
    public static long of(final SocketAddress address)
    {
        return of(hostPort(address));
    }

    /**
     * Thread-safe; allocates.
     *
     * @param address a backend's address.
     * @return {@code "ip:port"} ({@code "[ipv6]:port"}) for an {@link InetSocketAddress}, its host string in
     * place of the IP when unresolved, otherwise {@code address.toString()}.
     */
    public static String hostPort(final SocketAddress address)
    {
        if (address instanceof InetSocketAddress inet)
        {
            final InetAddress ip = inet.getAddress();
            final String host = ip != null ? ip.getHostAddress() : inet.getHostString();
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + inet.getPort() : host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
