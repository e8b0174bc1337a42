package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Docker's masked and read-only paths under /proc and /sys. */
class MaskedPathsTest extends InsideContainerTest {
    @Test
    void kernelInterfacesAreMaskedOrReadOnly() throws Exception {
        String out = inContainer("cat /proc/kcore 2>&1 | head -c 64; echo; echo kcore-done; "
                + "echo 1 > /proc/sys/kernel/panic 2>&1; echo sys=$?; ls /sys/firmware | head -1; echo firmware-done");
        assertThat(out).contains("kcore-done").doesNotContain("ELF");
        assertThat(out).contains("sys=1");
        assertThat(out.substring(out.indexOf("kcore-done"))).containsPattern("sys=1\\s+firmware-done");
    }
}
