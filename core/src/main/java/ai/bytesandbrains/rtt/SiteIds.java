package ai.bytesandbrains.rtt;

/**
 * Site ids from peer names: 64-bit FNV-1a (offset basis {@code 0xcbf29ce484222325}, prime
 * {@code 0x100000001b3}) over the UTF-8 bytes of a {@code host:port} string, the hash {@link ChainIds} uses
 * for chains, so a peer in any language that hashes the same string derives the same id. The id is a pure
 * function of the string: {@code "127.0.0.1:50051"} and {@code "localhost:50051"} are two sites, and so are
 * {@code "[::1]:50051"} and {@code "::1:50051"}; pick one spelling per peer (bb-rtt-grpc uses the literal IP,
 * IPv6 in brackets). An unpaired surrogate hashes as {@code '?'}, as {@code String.getBytes(UTF_8)} encodes it.
 *
 * <p>Known answers (pinned by tests): {@code ""} → {@code 0xcbf29ce484222325}, {@code "a"} →
 * {@code 0xaf63dc4c8601ec8c}, {@code "foobar"} → {@code 0x85944171f73967e8}.
 *
 * <p>Thread-safe and allocation-free: the name is encoded to UTF-8 on the fly. To have the tracker's
 * readers (its file, {@code rtt-stat}, the metrics) show the name, name the site once:
 * {@code RttTracker.site(hostPort)} does both.
 */
public final class SiteIds
{
    private SiteIds()
    {
    }

    /**
     * Thread-safe, allocation-free.
     *
     * @param hostPort the peer's name, normally {@code host:port}; not null.
     * @return FNV-1a 64 of its UTF-8 bytes.
     * @throws NullPointerException when {@code hostPort} is null.
     */
    public static long of(final CharSequence hostPort)
    {
        return ChainIds.fromTargets(hostPort);
    }
}
