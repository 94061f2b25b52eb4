/**
 * The reverse-path report codec: versioned flyweight encoder and decoder over Agrona buffers for the
 * outgoing-edge reports a site attaches to its responses. Never reads outside the buffer.
 */
package ai.bytesandbrains.rtt.wire;
