package ai.bytesandbrains.rtt.grpc;

import ai.bytesandbrains.rtt.ChainIds;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Site ids for gRPC backends: 64-bit FNV-1a over the UTF-8 bytes of {@code "host:port"}, where host is the
 * literal IP of an {@link InetSocketAddress} ({@code "127.0.0.1:50051"}, {@code "[::1]:50051"}), or its host
 * string when unresolved. Any other {@link SocketAddress} (in-process, Unix domain) hashes its
 * {@code toString()}.
 *
 * <p>The hash is the one {@link ChainIds#fromTargets} computes, so a peer in any language that hashes the same
 * string gets the same id. Core is expected to gain a general {@code SiteIds.of(String)}; when it does,
 * {@link #of(CharSequence)} becomes a one-line delegation to it and nothing else here changes.
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
        return ChainIds.fromTargets(hostPort);
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
