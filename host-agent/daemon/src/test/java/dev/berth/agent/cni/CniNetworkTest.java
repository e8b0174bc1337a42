package dev.berth.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the CNI runner refuses before it starts any plugin, and what it hands a plugin on stdin. */
class CniNetworkTest {

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"../../bin/sh", "/usr/bin/id", "Bridge", "'bridge plugin'", "''", "-x"})
    void aTypeThatIsNotAPlainPluginNameIsRefused(String type) {
        assertThatThrownBy(() -> new CniNetwork("net", "1.0.0", List.of(Map.of("type", type))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a plugin executable");
    }

    @ParameterizedTest(name = "name {0}")
    @CsvSource({"''", "-net", "'a b'", "net/x"})
    void aBadNetworkNameIsRefused(String name) {
        assertThatThrownBy(() -> new CniNetwork(name, "1.0.0", List.of(Map.of("type", "bridge"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CNI network name");
    }

    @ParameterizedTest(name = "container {0}, interface {1}, netns {2}")
    @CsvSource({
            "'',        eth0,             /run/netns/x",
            "'a b',     eth0,             /run/netns/x",
            "../x,      eth0,             /run/netns/x",
            "c1,        '',               /run/netns/x",
            "c1,        eth0/x,           /run/netns/x",
            "c1,        .,                /run/netns/x",
            "c1,        sixteen-chars-xx, /run/netns/x",
            "c1,        eth0,             run/netns/x"})
    void anAttachmentCniWouldRefuseIsRefusedFirst(String container, String ifName, String netns) {
        assertThatThrownBy(() -> new CniPlugins.Attachment(container, Path.of(netns), ifName))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachPluginReadsItsConfigurationWithTheListsNameVersionAndThePreviousResult() {
        var network = new CniNetwork("berth", "1.0.0", List.of(Map.of("type", "bridge", "bridge", "b0"),
                Map.of("type", "loopback", "cniVersion", "0.1.0")));
        assertThat(network.stdinOf(0, null)).containsExactlyInAnyOrderEntriesOf(
                Map.of("type", "bridge", "bridge", "b0", "name", "berth", "cniVersion", "1.0.0"));
        Map<String, Object> prev = Map.of("cniVersion", "1.0.0", "ips", List.of());
        assertThat(network.stdinOf(1, prev)).containsEntry("prevResult", prev).containsEntry("cniVersion", "1.0.0");
    }
}
