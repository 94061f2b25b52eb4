package ai.bytesandbrains.rtt;

import org.agrona.DirectBuffer;

/**
 * Chain identifiers: 64-bit FNV-1a over the UTF-8 bytes of the compiler-stamped {@code chain_targets}
 * string, bit-identical to the reference's {@code chain_id_from_targets}, so that Java and Rust peers
 * derive the same id. Thread-safe; the byte and buffer forms do not allocate, and neither does the
 * string form (it encodes UTF-8 on the fly).
 */
public final class ChainIds
{
    /** FNV-1a 64 offset basis. */
    public static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    /** FNV-1a 64 prime. */
    public static final long FNV_PRIME = 0x100000001b3L;

    private ChainIds()
    {
    }

    /**
     * Thread-safe.
     *
     * @param chainTargets the {@code chain_targets} string.
     * @return FNV-1a 64 of its UTF-8 bytes.
     */
    public static long fromTargets(final CharSequence chainTargets)
    {
        long hash = FNV_OFFSET_BASIS;
        final int length = chainTargets.length();
        for (int i = 0; i < length; i++)
        {
            final char c = chainTargets.charAt(i);
            if (c < 0x80)
            {
                hash = step(hash, c);
            }
            else if (c < 0x800)
            {
                hash = step(hash, 0xC0 | (c >> 6));
                hash = step(hash, 0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chainTargets.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, chainTargets.charAt(++i));
                hash = step(hash, 0xF0 | (codePoint >> 18));
                hash = step(hash, 0x80 | ((codePoint >> 12) & 0x3F));
                hash = step(hash, 0x80 | ((codePoint >> 6) & 0x3F));
                hash = step(hash, 0x80 | (codePoint & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                hash = step(hash, '?'); // unpaired surrogate: what String.getBytes(UTF_8) writes
            }
            else
            {
                hash = step(hash, 0xE0 | (c >> 12));
                hash = step(hash, 0x80 | ((c >> 6) & 0x3F));
                hash = step(hash, 0x80 | (c & 0x3F));
            }
        }
        return hash;
    }

    /**
     * Thread-safe.
     *
     * @param bytes  raw bytes, normally UTF-8.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return FNV-1a 64 of the bytes.
     */
    public static long fromBytes(final byte[] bytes, final int offset, final int length)
    {
        long hash = FNV_OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            hash = step(hash, bytes[i] & 0xFF);
        }
        return hash;
    }

    /**
     * Thread-safe.
     *
     * @param bytes raw bytes, normally UTF-8.
     * @return FNV-1a 64 of the bytes.
     */
    public static long fromBytes(final byte[] bytes)
    {
        return fromBytes(bytes, 0, bytes.length);
    }

    /**
     * Thread-safe.
     *
     * @param buffer holding the bytes, for example a received message.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return FNV-1a 64 of the bytes.
     */
    public static long fromBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = FNV_OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            hash = step(hash, buffer.getByte(i) & 0xFF);
        }
        return hash;
    }

    private static long step(final long hash, final int unsignedByte)
    {
        return (hash ^ unsignedByte) * FNV_PRIME;
    }
}
