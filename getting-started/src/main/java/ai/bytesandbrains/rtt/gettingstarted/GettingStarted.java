package ai.bytesandbrains.rtt.gettingstarted;

// The region between the tags is shown verbatim in README.md (ReadmeExampleTest checks it) and compiled
// on its own, in the default package, by .ci/consumer-check.sh.
// tag::example[]
import ai.bytesandbrains.rtt.ChainIds;
import ai.bytesandbrains.rtt.RttTracker;
import ai.bytesandbrains.rtt.view.SiteView;

public final class GettingStarted {
    public static void main(String[] args) {
        try (RttTracker tracker = RttTracker.builder()
                .siteCapacity(64)        // peers tracked at most
                .historyCapacity(100)    // inter-arrival times kept per peer for φ
                .build()) {
            long chain = ChainIds.fromTargets("ingest,enrich,score"); // same id the Rust peers derive
            long staticDefaultNs = 25_000_000L;
            System.out.printf("peer 1, first send: budget %.3f ms (nothing learned: static default)%n",
                    tracker.estimateBudgetNs(1, chain, 0, staticDefaultNs) / 1e6);

            // Every nowNs comes from one monotonic clock in System.nanoTime()'s base. This example
            // simulates 3 s on that clock: three peers answer every 10 ms, peer 3 goes silent at 2 s.
            long start = System.nanoTime();
            for (int step = 1; step <= 300; step++) {
                long now = start + step * 10_000_000L;
                for (int peer = 1; peer <= 3; peer++) {
                    if (peer == 3 && step > 200) continue;
                    long rttNs = peer * 1_000_000L + (step % 4) * 100_000L; // p ms, jitter 0 to 0.3 ms
                    tracker.observeRoundTrip(peer, chain, peer - 1, rttNs, now); // peer p is hop p-1
                }
                if (step % 10 == 0) { // a timer would scan every 100 ms
                    long ms = step * 10L;
                    tracker.scanPhi(now, (site, state, phi) ->
                            System.out.printf("at %d ms: peer %d is %s (phi %.1f)%n", ms, site, state, phi));
                }
            }

            SiteView view = new SiteView();
            for (int peer = 1; peer <= 3; peer++) {
                tracker.readSite(peer, view);
                System.out.printf("peer %d: srtt %.3f ms, rttvar %.3f ms, budget %.3f ms, %d samples%n",
                        peer, view.srttNs() / 1e6, view.rttvarNs() / 1e6,
                        tracker.estimateBudgetNs(peer, chain, peer - 1, staticDefaultNs) / 1e6,
                        view.sampleCount());
            }
            System.out.printf("peer 4, new in the chain, as hop 0: budget %.3f ms (the chain's prior)%n",
                    tracker.estimateBudgetNs(4, chain, 0, staticDefaultNs) / 1e6);
        }
    }
}
// end::example[]
