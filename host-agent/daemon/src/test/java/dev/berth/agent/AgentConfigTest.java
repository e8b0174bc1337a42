package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @TempDir
    Path dir;

    private Path write(String json, String mode) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void readsRegistriesAndCredentials() throws Exception {
        var config = AgentConfig.load(write("""
                {"insecureRegistries": ["127.0.0.1:5000"],
                 "credentials": {"registry.example.com": {"username": "ci", "password": "s3cret"}},
                 "parallelDownloads": 2}""", "rw-------"), true);
        var registries = config.registries(List.of("localhost:5001"));
        assertThat(registries.insecureRegistries()).containsExactlyInAnyOrder("127.0.0.1:5000", "localhost:5001");
        assertThat(registries.credentials().get("registry.example.com").username()).isEqualTo("ci");
        assertThat(registries.credentials().toString()).doesNotContain("s3cret");
        assertThat(registries.parallelDownloads()).isEqualTo(2);
    }

    @Test
    void aMissingDefaultFileIsAnEmptyConfigurationButANamedOneMustExist() throws Exception {
        assertThat(AgentConfig.load(dir.resolve("none.json"), false).insecureRegistries()).isEmpty();
        assertThatThrownBy(() -> AgentConfig.load(dir.resolve("none.json"), true)).hasMessageContaining("does not exist");
    }

    @Test
    void badFilesAreRefusedWithWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> AgentConfig.load(write("{\"insecureRegistry\": []}", "rw-------"), true))
                .hasMessageContaining("unknown key 'insecureRegistry' (known: insecureRegistries, credentials, parallelDownloads)");
        assertThatThrownBy(() -> AgentConfig.load(write("{\"insecureRegistries\": [\"http://x\"]}", "rw-------"), true))
                .hasMessageContaining("'http://x' is not a registry HOST or HOST:PORT");
        assertThatThrownBy(() -> AgentConfig.load(write("{\"insecureRegistries\": [\n", "rw-------"), true))
                .hasMessageContaining("is not valid JSON").hasMessageContaining("line 2");
        assertThatThrownBy(() -> AgentConfig.load(write("{\"credentials\": {\"r.io\": {\"username\": \"u\"}}}", "rw-------"), true))
                .hasMessageContaining("credentials for r.io need a username and a password");
        assertThatThrownBy(() -> AgentConfig.load(write("{\"parallelDownloads\": 0}", "rw-------"), true))
                .hasMessageContaining("parallelDownloads must be 1 to 32");
    }

    @Test
    void credentialsOthersCanReadAreRefused() throws Exception {
        Path file = write("{\"credentials\": {\"r.io\": {\"username\": \"u\", \"password\": \"p\"}}}", "rw-r--r--");
        assertThatThrownBy(() -> AgentConfig.load(file, true))
                .hasMessageContaining("holds registry credentials but others can read it; run 'chmod 600");
    }
}
