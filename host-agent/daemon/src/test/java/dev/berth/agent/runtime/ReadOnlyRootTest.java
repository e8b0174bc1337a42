package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The root filesystem is read-only; tmpfs is writable but never executable. */
class ReadOnlyRootTest extends InsideContainerTest {
    @Test
    void rootIsReadOnlyAndTmpfsIsWritableButNoexec() throws Exception {
        String out = inContainer("touch /x 2>&1; echo root=$?; touch /tmp/y && echo tmp=ok; "
                + "cp /bin/busybox /tmp/bb; chmod +x /tmp/bb; /tmp/bb true 2>&1; echo exec=$?");
        assertThat(out).contains("Read-only file system").contains("root=1").contains("tmp=ok");
        assertThat(out).as(out).contains("Permission denied").containsPattern("exec=(126|1|2)");
    }
}
