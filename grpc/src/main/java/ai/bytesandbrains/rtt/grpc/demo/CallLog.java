package ai.bytesandbrains.rtt.grpc.demo;

import io.grpc.Status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What happened to each call of one channel in the demo, and the summary per phase. Thread-safe: calls
 * complete on gRPC's threads and are appended to a lock-free queue; the summaries are computed at the end.
 */
final class CallLog
{
    /** One finished call: when it started (ns since the run's start), its deadline, outcome and backend. */
    record Call(long startNs, long deadlineNs, long elapsedNs, Status.Code code, int backend)
    {
    }

    /** The summary of calls that started within one phase. */
    record Summary(long calls, long ok, long timeouts, long otherErrors, double wastedSeconds, double meanDeadlineMs,
                   double p50Ms, double p99Ms)
    {
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    void add(final Call call)
    {
        calls.add(call);
    }

    Summary summarise(final long fromNs, final long toNs, final int backend)
    {
        long count = 0;
        long ok = 0;
        long timeouts = 0;
        long other = 0;
        long wastedNs = 0;
        double deadlineSum = 0;
        final List<Long> latencies = new ArrayList<>();
        for (final Call call : calls)
        {
            if (call.startNs < fromNs || call.startNs >= toNs || (backend >= 0 && call.backend != backend))
            {
                continue;
            }
            count++;
            deadlineSum += call.deadlineNs;
            switch (call.code)
            {
                case OK ->
                {
                    ok++;
                    latencies.add(call.elapsedNs);
                }
                case DEADLINE_EXCEEDED ->
                {
                    timeouts++;
                    wastedNs += call.elapsedNs;
                }
                default -> other++;
            }
        }
        final long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Summary(count, ok, timeouts, other, wastedNs / 1e9, count == 0 ? 0 : deadlineSum / count / 1e6,
            percentileMs(sorted, 0.50), percentileMs(sorted, 0.99));
    }

    /**
     * Per time bucket of calls started in it: the mean deadline (ms) and the number that failed.
     *
     * @param bucketNs width of a bucket.
     * @param runNs    length of the run.
     * @return {@code [bucket][0]} mean deadline in ms (NaN when empty), {@code [bucket][1]} failed calls.
     */
    double[][] buckets(final long bucketNs, final long runNs)
    {
        final int count = (int)(runNs / bucketNs);
        final double[][] result = new double[count][2];
        final long[] calls = new long[count];
        for (final Call call : calls())
        {
            final int bucket = (int)(call.startNs / bucketNs);
            if (bucket < 0 || bucket >= count)
            {
                continue;
            }
            calls[bucket]++;
            result[bucket][0] += call.deadlineNs / 1e6;
            result[bucket][1] += call.code == Status.Code.OK ? 0 : 1;
        }
        for (int i = 0; i < count; i++)
        {
            result[i][0] = calls[i] == 0 ? Double.NaN : result[i][0] / calls[i];
        }
        return result;
    }

    private Iterable<Call> calls()
    {
        return calls;
    }

    private static double percentileMs(final long[] sorted, final double quantile)
    {
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final int index = (int)Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
