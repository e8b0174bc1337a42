package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Container root is an unprivileged block of host ids, the app's own. */
class UserNamespaceTest extends InsideContainerTest {
    @Test
    void containerRootIsAnUnprivilegedHostRange() throws Exception {
        String out = inContainer("cat /proc/self/uid_map /proc/self/gid_map");
        assertThat(out.lines().map(l -> l.strip().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).toList())
                .containsExactly("0 " + RANGE.hostStart() + " 65536", "0 " + RANGE.hostStart() + " 65536");
    }
}
