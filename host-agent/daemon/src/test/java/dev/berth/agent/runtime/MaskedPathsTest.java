package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Docker's masked and read-only paths under /proc and /sys. */
class MaskedPathsTest extends InsideContainerTest {
    @Test
    void kernelInterfacesAreMaskedOrReadOnly() throws Exception {
        // Each probe prints one marker line on stdout; the shell's own complaints go to /dev/null,
        // because stderr and stdout interleave in no fixed order.
        String out = inContainer("echo kcore-bytes=$(cat /proc/kcore 2>/dev/null | head -c 64 | wc -c); "
                + "(echo 1 > /proc/sys/kernel/panic) 2>/dev/null; echo sys-write=$?; "
                + "echo firmware-entries=$(ls -A /sys/firmware 2>/dev/null | wc -l)");
        assertThat(out).contains("kcore-bytes=0");
        assertThat(out).contains("sys-write=1");
        assertThat(out).contains("firmware-entries=0");
    }
}
