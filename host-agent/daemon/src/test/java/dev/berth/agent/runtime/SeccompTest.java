package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Seccomp: a filter is installed and blocked syscalls fail with EPERM. */
class SeccompTest extends InsideContainerTest {
    @Test
    void blockedSyscallsFailWithEperm() throws Exception {
        assertThat(statusField(inContainer("cat /proc/self/status"), "Seccomp")).isEqualTo("2");
        String out = inContainer("unshare -U true 2>&1; echo unshare=$?; mount -t tmpfs t /tmp 2>&1; echo mount=$?");
        assertThat(out).contains("Operation not permitted").contains("unshare=1").contains("mount=1");
    }
}
