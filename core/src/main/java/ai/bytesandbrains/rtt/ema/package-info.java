/**
 * The Jacobson/Karels EMA as one 64-bit word: {@link ai.bytesandbrains.rtt.ema.EmaWord} (codec and
 * RFC 6298 update, pure functions) and {@link ai.bytesandbrains.rtt.internal.AtomicEma} (the CAS loop over
 * a word and its exact sample count in an Agrona buffer). Usable on their own.
 */
package ai.bytesandbrains.rtt.ema;

