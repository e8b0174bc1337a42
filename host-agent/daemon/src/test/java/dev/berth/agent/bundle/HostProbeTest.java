package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.runtime.Runc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent says when runc is missing, too old or broken. */
class HostProbeTest {
    @TempDir
    Path dir;

    private Runc fakeRunc(String script) throws Exception {
        Path runc = dir.resolve("runc");
        Files.writeString(runc, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(runc, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Runc.forStateDirectory(runc, dir);
    }

    @Test
    void aMissingRuncIsNamedWithHowToInstallIt() {
        assertThatThrownBy(() -> HostProbe.probe(Runc.forStateDirectory(dir.resolve("nope"), dir)))
                .hasMessageContaining("is missing or not executable: install runc (apt-get install runc)");
    }

    @Test
    void aRuncWithoutTheFeaturesCommandIsTooOld() throws Exception {
        var old = fakeRunc("echo \"No help topic for 'features'\" >&2; exit 3");
        assertThatThrownBy(() -> HostProbe.probe(old)).hasMessageContaining("runc 1.1 or newer is needed");
    }

    @Test
    void garbageFromRuncIsReportedAsSuch() throws Exception {
        assertThatThrownBy(() -> HostProbe.probe(fakeRunc("echo hello"))).hasMessageContaining("not JSON");
    }

    @Test
    void theRealFeaturesAreRead() throws Exception {
        var real = fakeRunc("cat <<'JSON'\n" + TestHosts.runcFeatures() + "\nJSON");
        var facts = HostProbe.probe(real);
        assertThat(facts.runtime().namespaces()).contains("user");
        assertThat(facts.architecture()).isEqualTo("amd64");
    }

    @Test
    void architecturesMapToOciNames() {
        assertThat(HostProbe.architecture("x86_64")).isEqualTo("amd64");
        assertThat(HostProbe.architecture("aarch64")).isEqualTo("arm64");
        assertThatThrownBy(() -> HostProbe.architecture("sparc")).hasMessageContaining("unsupported architecture sparc");
    }
}
