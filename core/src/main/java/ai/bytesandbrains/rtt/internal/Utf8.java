package ai.bytesandbrains.rtt.internal;

import org.agrona.concurrent.AtomicBuffer;

/**
 * UTF-8 of a {@link CharSequence} without allocating, byte for byte what {@code String.getBytes(UTF_8)} and
 * {@code ChainIds.fromTargets} produce: an unpaired surrogate becomes {@code '?'}. Pure; thread-safe.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Pure; allocation-free.
     *
     * @param text the text, not null.
     * @return bytes of its UTF-8 encoding.
     */
    public static int encodedLength(final CharSequence text)
    {
        int bytes = 0;
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (isPair(text, i, length))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                bytes++;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Write the UTF-8 of {@code text} with plain stores; the caller publishes them. Allocation-free.
     *
     * @param text   the text.
     * @param buffer where to write.
     * @param offset of the first byte; {@link #encodedLength} bytes are written.
     * @return offset after the last byte written.
     */
    public static int encode(final CharSequence text, final AtomicBuffer buffer, final int offset)
    {
        return encode(text, buffer, offset, Integer.MAX_VALUE);
    }

    /**
     * Write the UTF-8 of {@code text} with plain stores, at most {@code maxBytes} of them: the encoding stops
     * before the first character that would not fit, so what is written is whole characters, valid UTF-8,
     * and never more than {@code maxBytes} whatever the text does meanwhile (a {@link CharSequence} another
     * thread changes can be longer now than when {@link #encodedLength} measured it). The caller publishes
     * the stores. Allocation-free.
     *
     * @param text     the text.
     * @param buffer   where to write.
     * @param offset   of the first byte.
     * @param maxBytes most bytes to write, {@code >= 0}.
     * @return offset after the last byte written.
     */
    public static int encode(final CharSequence text, final AtomicBuffer buffer, final int offset, final int maxBytes)
    {
        int at = offset;
        int room = maxBytes;
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            final int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : isPair(text, i, length) ? 4 : Character.isSurrogate(c) ? 1 : 3;
            if (bytes > room)
            {
                break; // a whole character or none: the bytes written stay valid UTF-8
            }
            room -= bytes;
            if (c < 0x80)
            {
                buffer.putByte(at++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(at++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (isPair(text, i, length))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(at++, (byte)(0xF0 | (codePoint >> 18)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(at++, (byte)'?');
            }
            else
            {
                buffer.putByte(at++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(at++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return at;
    }

    private static boolean isPair(final CharSequence text, final int i, final int length)
    {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
