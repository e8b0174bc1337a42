package dev.berth.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentCleanupTest {
    @Test
    void mountPointsBelowTheStateDirectoryComeDeepestFirstWithTheKernelsEscapesUndone() {
        var mountinfo = List.of(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "90 22 0:4 net:[4026532] /tmp/berth-x/agent-a/netns/web\\0401 rw shared:50 - nsfs nsfs rw",
                "91 22 0:4 net:[4026533] /tmp/berth-x/agent-a/netns rw shared:51 - tmpfs tmpfs rw",
                "92 22 0:4 net:[4026534] /tmp/berth-x/agent-ab/netns/db rw shared:52 - nsfs nsfs rw",
                "93 22 0:4 / /tmp/berth-x/agent-a rw shared:53 - tmpfs tmpfs rw");

        assertThat(AgentCleanup.mountPointsUnder(mountinfo, Path.of("/tmp/berth-x/agent-a")))
                .containsExactly("/tmp/berth-x/agent-a/netns/web 1", "/tmp/berth-x/agent-a/netns");
    }
}
