package ai.bytesandbrains.rtt;

import ai.bytesandbrains.rtt.ema.EmaShifts;
import ai.bytesandbrains.rtt.ema.EmaWord;

/**
 * How far a stored EMA may drift from the full-precision reference when values exceed the exact range.
 *
 * <p>Each update re-encodes srtt and rttvar with a relative error of at most ε = 2^-27 of the value's
 * magnitude M; the reference's truncating shifts can then differ by 1 ns per shift. For srtt the error
 * e obeys {@code e' <= (1 - α) e + 1 + εM}, so {@code e <= (1 + εM) / α}; rttvar also inherits srtt's
 * error through {@code |srtt - sample|}, giving {@code e <= (2 + εM)(2^a + 2^b)} for both. The tests
 * allow twice that.
 */
final class D5Bound
{
    private D5Bound()
    {
    }

    static long of(final EmaShifts shifts, final long magnitude)
    {
        final double perUpdate = 2.0 + magnitude * EmaWord.MAX_RELATIVE_ERROR;
        return (long)Math.ceil(2.0 * perUpdate * ((1L << shifts.alphaShift()) + (1L << shifts.betaShift())));
    }
}
