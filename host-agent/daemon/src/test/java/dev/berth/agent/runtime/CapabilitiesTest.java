package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Capabilities: only NET_BIND_SERVICE, no ambient set, no new privileges. */
class CapabilitiesTest extends InsideContainerTest {
    @Test
    void theProcessHoldsOnlyTheDefaultCapabilityAndNoNewPrivileges() throws Exception {
        String status = inContainer("cat /proc/self/status");
        long netBindService = 1L << 10;
        assertThat(Long.parseLong(statusField(status, "CapBnd"), 16)).isEqualTo(netBindService);
        assertThat(Long.parseLong(statusField(status, "CapEff"), 16)).isEqualTo(netBindService);
        assertThat(Long.parseLong(statusField(status, "CapAmb"), 16)).isZero();
        assertThat(statusField(status, "NoNewPrivs")).isEqualTo("1");
    }
}
