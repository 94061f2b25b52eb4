package ai.bytesandbrains.rtt;

import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RttTrackerConfigTest
{
    private static void assertRefused(final UnaryOperator<RttTrackerConfig.Builder> change, final String parameter)
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> change.apply(RttTracker.builder()).build())
            .withMessageContaining(parameter);
    }

    @Test
    void shouldHoldReferenceDefaults()
    {
        final RttTrackerConfig config = RttTracker.builder().toConfig();
        assertThat(config.historyCapacity()).isEqualTo(1000);
        assertThat(config.suspectPhi()).isEqualTo(8.0);
        assertThat(config.downPhi()).isEqualTo(16.0);
        assertThat(config.emaShifts().alphaShift()).isEqualTo(3);
        assertThat(config.emaShifts().betaShift()).isEqualTo(2);
        assertThat(config.globalPriorShifts().alphaShift()).isEqualTo(6);
        assertThat(config.globalPriorShifts().betaShift()).isEqualTo(5);
    }

    @Test
    void shouldRoundTripThroughToBuilder()
    {
        final RttTrackerConfig config = RttTracker.builder().siteCapacity(3).edgeCapacity(5).chainCapacity(7)
            .reportedCapacity(9).historyCapacity(11).suspectPhi(2.5).downPhi(3.5).emaShifts(4, 1)
            .globalPriorShifts(7, 6).toConfig();
        assertThat(config.toBuilder().toConfig()).isEqualTo(config);
    }

    @Test
    void shouldRefuseCapacitiesBelowOne()
    {
        assertRefused(b -> b.siteCapacity(0), "siteCapacity");
        assertRefused(b -> b.edgeCapacity(-1), "edgeCapacity");
        assertRefused(b -> b.chainCapacity(0), "chainCapacity");
        assertRefused(b -> b.reportedCapacity(0), "reportedCapacity");
        assertRefused(b -> b.historyCapacity(0), "historyCapacity");
        assertRefused(b -> b.siteCapacity(Integer.MAX_VALUE), "siteCapacity");
    }

    @Test
    void shouldRefuseShiftsOutside0To63()
    {
        assertRefused(b -> b.emaShifts(64, 2), "emaShifts.alphaShift");
        assertRefused(b -> b.emaShifts(3, -1), "emaShifts.betaShift");
        assertRefused(b -> b.globalPriorShifts(6, 64), "globalPriorShifts.betaShift");
    }

    @Test
    void shouldRefuseThresholdsThatAreNotFiniteAndPositive()
    {
        assertRefused(b -> b.suspectPhi(Double.NaN), "suspectPhi");
        assertRefused(b -> b.suspectPhi(0.0), "suspectPhi");
        assertRefused(b -> b.downPhi(Double.POSITIVE_INFINITY), "downPhi");
        assertRefused(b -> b.downPhi(-1.0), "downPhi");
    }

    @Test
    void shouldRefuseDownBelowSuspect()
    {
        assertRefused(b -> b.suspectPhi(9.0).downPhi(8.0), "downPhi must be >= suspectPhi");
    }

    @Test
    void shouldRefuseConfigurationTooLargeForOneBuffer()
    {
        assertRefused(b -> b.siteCapacity(1 << 20).historyCapacity(1000), "more than one buffer can address");
    }
}
