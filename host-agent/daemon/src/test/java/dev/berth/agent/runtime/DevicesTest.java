package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /dev holds only the usual character devices, and none can be made. */
class DevicesTest extends InsideContainerTest {
    @Test
    void devHoldsOnlyTheAllowedDevicesAndMknodFails() throws Exception {
        String out = inContainer("ls /dev; echo ---; mknod /tmp/sda b 8 0 2>&1; echo mknod=$?");
        var devices = out.substring(0, out.indexOf("---")).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(devices).containsExactlyInAnyOrder("fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm",
                "stderr", "stdin", "stdout", "tty", "urandom", "zero");
        assertThat(out).contains("mknod=1");
    }
}
