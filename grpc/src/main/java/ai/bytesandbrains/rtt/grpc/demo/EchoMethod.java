package ai.bytesandbrains.rtt.grpc.demo;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A unary gRPC method declared without protoc: request and response are raw bytes, so the descriptor needs
 * no generated code. Immutable; thread-safe.
 */
public final class EchoMethod
{
    /** The service name. */
    public static final String SERVICE = "bb.rtt.demo.Echo";

    /** The unary method {@code bb.rtt.demo.Echo/Call}: the response echoes the request. */
    public static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Call"))
        .setRequestMarshaller(Bytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();

    private EchoMethod()
    {
    }

    private enum Bytes implements MethodDescriptor.Marshaller<byte[]>
    {
        INSTANCE;

        @Override
        public InputStream stream(final byte[] value)
        {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(final InputStream stream)
        {
            try
            {
                return stream.readAllBytes();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    }
}
