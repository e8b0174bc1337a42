package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFingerprintTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private static ContainerSpec spec(Map<String, String> env) {
        return new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", "/srv/rootfs", null, List.of("/bin/httpd", "-f"), env,
                null, null, null, null, null, List.of(new ContainerSpec.PortPublish(null, 0, 8080)), null, null, null, null, null);
    }

    @Test
    void equalRequestsGiveEqualFingerprintsWhateverTheMapOrder() {
        var ab = new LinkedHashMap<String, String>();
        ab.put("A", "1");
        ab.put("B", "2");
        var ba = new LinkedHashMap<String, String>();
        ba.put("B", "2");
        ba.put("A", "1");
        assertThat(SpecFingerprint.of(KEY, spec(ab), Map.of("S", "x", "T", "y")))
                .isEqualTo(SpecFingerprint.of(KEY, spec(ba), Map.of("T", "y", "S", "x")))
                .startsWith("hmac-sha256:");
    }

    @Test
    void anyChangeOfSpecOrSecretValueChangesIt() {
        String base = SpecFingerprint.of(KEY, spec(Map.of("A", "1")), Map.of("S", "x"));
        assertThat(SpecFingerprint.of(KEY, spec(Map.of("A", "2")), Map.of("S", "x"))).isNotEqualTo(base);
        assertThat(SpecFingerprint.of(KEY, spec(Map.of("A", "1")), Map.of("S", "y"))).isNotEqualTo(base);
        assertThat(SpecFingerprint.of(KEY, spec(Map.of("A", "1")), Map.of())).isNotEqualTo(base);
        assertThat(SpecFingerprint.of("another key, another agent......".getBytes(), spec(Map.of("A", "1")), Map.of("S", "x")))
                .isNotEqualTo(base);
        // An env entry moved into the secrets is a different request too.
        assertThat(SpecFingerprint.of(KEY, spec(Map.of()), Map.of("A", "1", "S", "x"))).isNotEqualTo(base);
    }

    @Test
    void theTrafficFlagAndTheRevisionAreLeftOut() {
        var spec = spec(Map.of("A", "1"));
        String serving = SpecFingerprint.of(KEY, new dev.berth.agent.protocol.AssignedContainer(spec, 7, Map.of("S", "x"), true));
        assertThat(SpecFingerprint.of(KEY, new dev.berth.agent.protocol.AssignedContainer(spec, 7, Map.of("S", "x"), false)))
                .isEqualTo(serving);
        assertThat(SpecFingerprint.of(KEY, new dev.berth.agent.protocol.AssignedContainer(spec, 8, Map.of("S", "x"), null)))
                .isEqualTo(serving);
        assertThat(serving).isEqualTo(SpecFingerprint.of(KEY, spec, Map.of("S", "x")));
    }

    @Test
    void theKeyIsMadeOncePrivatelyAndKept(@TempDir Path state) throws Exception {
        byte[] first = SpecFingerprint.key(state);
        assertThat(first).hasSize(32);
        assertThat(SpecFingerprint.key(state)).isEqualTo(first);
        Path file = state.resolve("fingerprint.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(state)) {
            assertThat(files).containsExactly(file);
        }
    }
}
