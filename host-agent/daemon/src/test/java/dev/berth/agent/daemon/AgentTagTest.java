package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.OciSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An agent finds the cgroup parent and nftables table its predecessor on the same state directory
 * left by these names, so they must not change between versions.
 */
class AgentTagTest {
    private static final AgentTag TAG = AgentTag.of(Path.of("/var/lib/berth"));

    @Test
    void theTagIsTheStateDirectorysDigest() {
        // printf '%s' /var/lib/berth | sha256sum
        assertThat(TAG.value()).isEqualTo("agent-5a2cdf17d6f6");
    }

    @Test
    void theFirewallTableTakesNoDash() {
        assertThat(TAG.firewallTable()).isEqualTo("berth_agent_5a2cdf17d6f6");
    }

    @Test
    void containersCgroupsSitUnderTheAgentsParent() {
        var cgroups = new CgroupParent(TAG, true);
        assertThat(cgroups.cgroupsPath("web-1")).isEqualTo("/berth/agent-5a2cdf17d6f6/web-1");
        assertThat(cgroups.memoryCgroup("web-1")).isEqualTo(Path.of("/sys/fs/cgroup/berth/agent-5a2cdf17d6f6/web-1"));
        assertThat(new CgroupParent(TAG, false).memoryCgroup("web-1"))
                .isEqualTo(Path.of("/sys/fs/cgroup/memory/berth/agent-5a2cdf17d6f6/web-1"));
    }

    @Test
    void aBundlesOwnCgroupsPathWins() {
        var bundle = new OciSpec();
        bundle.linux = new OciSpec.Linux();
        bundle.linux.cgroupsPath = "/older/web-1";
        var cgroups = new CgroupParent(TAG, true);
        assertThat(cgroups.memoryCgroup(bundle, "web-1")).isEqualTo(Path.of("/sys/fs/cgroup/older/web-1"));
        assertThat(cgroups.memoryCgroup(null, "web-1")).isEqualTo(Path.of("/sys/fs/cgroup/berth/agent-5a2cdf17d6f6/web-1"));
    }
}
