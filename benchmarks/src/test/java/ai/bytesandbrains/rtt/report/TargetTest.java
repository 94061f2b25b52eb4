package ai.bytesandbrains.rtt.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TargetTest
{
    private static final String OBSERVE = "ObserveBenchmark.observeWithChain";

    @Test
    void shouldGiveEachRunsRatioCoreOverBaseline()
    {
        final Target.Outcome outcome = Target.throughput("observe", OBSERVE, Impls.SYNCHRONIZED, 1.5)
            .evaluate(Fixtures.threeRuns());

        assertThat(outcome.perRun()).containsExactly(new double[]{1.5, 1.8, 1.3}, within(1e-12));
    }

    @Test
    void shouldPassOnTheMedianEvenWhenOneRunMisses()
    {
        final Target.Outcome outcome = Target.throughput("observe", OBSERVE, Impls.SYNCHRONIZED, 1.5)
            .evaluate(Fixtures.threeRuns());

        assertThat(outcome.median()).isCloseTo(1.5, within(1e-12));
        assertThat(outcome.verdict()).isEqualTo(Target.Verdict.PASS);
    }

    @Test
    void shouldMissWhenTheMedianIsBelowTheBound()
    {
        final Target.Outcome outcome = Target.throughput("observe", OBSERVE, Impls.SYNCHRONIZED, 1.6)
            .evaluate(Fixtures.threeRuns());

        assertThat(outcome.verdict()).isEqualTo(Target.Verdict.MISS);
    }

    @Test
    void shouldJudgeOnTheRunsThatHaveBothSidesWhenABaselineIsMissingFromOne()
    {
        final Target.Outcome outcome = Target.throughput("observe", OBSERVE, Impls.JCTOOLS, 1.5)
            .evaluate(Fixtures.threeRuns());

        assertThat(outcome.perRun()[1]).isNaN();
        assertThat(outcome.median()).isCloseTo(1.25, within(1e-12));
        assertThat(outcome.verdict()).isEqualTo(Target.Verdict.MISS);
    }

    @Test
    void shouldReportMissingRatherThanFailWhenCoreWasNeverRun()
    {
        final Target.Outcome outcome = Target.throughput("estimate", "EstimateBenchmark.estimateTier1Hit",
            Impls.SYNCHRONIZED, 3).evaluate(Fixtures.threeRuns());

        assertThat(outcome.perRun()).containsOnly(Double.NaN);
        assertThat(outcome.verdict()).isEqualTo(Target.Verdict.MISSING);
    }

    @Test
    void shouldMeasureCostGrowthAsThroughputAtFewSitesOverThroughputAtMany()
    {
        final Target.Outcome outcome = Target.costGrowth("scale", "ScaleBenchmark.observeWithChain (100 sites)", "100",
            "ScaleBenchmark.observeWithChain (100000 sites)", 2).evaluate(Fixtures.runs("run-1.json"));

        assertThat(outcome.median()).isCloseTo(2.5, within(1e-12)); // 10 ops/µs at 100 sites, 4 at 100,000
        assertThat(outcome.verdict()).isEqualTo(Target.Verdict.MISS);
    }

    @Test
    void shouldCompareTailLatencyPercentilesAgainstAnUpperBound()
    {
        final RunSet runs = Fixtures.runs("run-1.json");

        final Target.Outcome p999 = Target.latency("tail", TailLatencyTable.ESTIMATE, Impls.SYNCHRONIZED, 99.9, 0.1)
            .evaluate(runs);
        final Target.Outcome p9999 = Target.latency("tail", TailLatencyTable.ESTIMATE, Impls.SYNCHRONIZED, 99.99, 0.1)
            .evaluate(runs);

        assertThat(p999.median()).isCloseTo(0.025, within(1e-12)); // 5 µs against 200 µs
        assertThat(p999.verdict()).isEqualTo(Target.Verdict.PASS);
        assertThat(p9999.median()).isCloseTo(0.2, within(1e-12)); // 100 µs against 500 µs
        assertThat(p9999.verdict()).isEqualTo(Target.Verdict.MISS);
    }

    @Test
    void shouldNameTheBoundAndThePercentile()
    {
        final Target target = Target.latency("tail", TailLatencyTable.ESTIMATE, Impls.SYNCHRONIZED, 99.99, 0.1);

        assertThat(target.required()).isEqualTo("<= 0.100x");
        assertThat(target.measureName()).isEqualTo("p99.99");
        assertThat(Target.throughput("observe", OBSERVE, Impls.JCTOOLS, 1.5).required()).isEqualTo(">= 1.50x");
    }
}
