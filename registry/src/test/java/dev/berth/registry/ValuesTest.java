package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {

    @ParameterizedTest
    @CsvSource({"amd64, amd64", "x86_64, amd64", "aarch64, arm64", "arm, arm", "ppc64le, ppc64le", "s390x, s390x",
            "riscv64, riscv64", "x86, 386", "i386, 386"})
    void goArchitectures(String java, String go) {
        assertThat(Platform.goArchitecture(java)).isEqualTo(go);
    }

    @Test
    void hostPlatformIsLinux() {
        assertThat(Platform.host().os()).isEqualTo("linux");
        assertThat(Platform.host().architecture()).isEqualTo(Platform.goArchitecture(System.getProperty("os.arch")));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // wanted os/arch/variant, candidate os/arch/variant, matches
            "linux, amd64, -,  linux, amd64, -,  true",
            "linux, amd64, -,  linux, arm64, -,  false",
            "linux, amd64, -,  windows, amd64, -, false",
            "linux, arm, v7,   linux, arm, v6,   false",
            "linux, arm, v7,   linux, arm, v7,   true",
            "linux, arm, -,    linux, arm, v6,   true",
            "linux, arm64, v8, linux, arm64, -,  true",
            "linux, arm, v7,   linux, arm, -,    false",
    })
    void platformMatching(String os, String arch, String variant, String cOs, String cArch, String cVariant, boolean m) {
        assertThat(new Platform(os, arch, variant).matches(new Platform(cOs, cArch, cVariant))).isEqualTo(m);
    }

    @Test
    void credentialsNeverShowThePassword() {
        Credentials c = new Credentials("alice", "s3cret");
        assertThat(c.toString()).contains("alice").doesNotContain("s3cret");
        assertThat(c.basicHeader()).isEqualTo("Basic YWxpY2U6czNjcmV0");
        RegistryConfig config = RegistryConfig.defaults().withCredentials("docker.io", c);
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(config.credentialsFor("registry-1.docker.io")).isEqualTo(c);
        assertThat(config.credentialsFor("ghcr.io")).isNull();
        assertThat(new RegistryClient(config).toString()).doesNotContain("s3cret");
    }

    @Test
    void configDefaultsAndWithers() {
        RegistryConfig d = RegistryConfig.defaults();
        assertThat(d.insecureRegistries()).isEmpty();
        assertThat(d.parallelDownloads()).isPositive();
        RegistryConfig c = d.withInsecure("127.0.0.1:5000").withParallelDownloads(7).withLimits(10, 20);
        assertThat(c.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(c.isInsecure("127.0.0.1:5001")).isFalse();
        assertThat(c.parallelDownloads()).isEqualTo(7);
        assertThat(c.maxManifestBytes()).isEqualTo(10);
        assertThat(c.maxBlobBytes()).isEqualTo(20);
        assertThatThrownBy(() -> d.withParallelDownloads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RegistryConfig(Set.of(), Map.of(), 1, 1, 1, RetryPolicy.DEFAULT).retry()).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void exceptionMessageNamesRegistryRepositoryAndStatus() {
        RegistryException e = new RegistryException("r.io", "acme/web", "manifest 1.0 not found", 404);
        assertThat(e).hasMessage("r.io/acme/web: manifest 1.0 not found (HTTP 404)");
        assertThat(e.status()).isEqualTo(404);
        assertThat(new RegistryException("r.io", null, "x", 0)).hasMessage("r.io: x");
    }

    @Test
    void bearerTokenResponses() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        BearerToken t = BearerToken.parse(json("{\"token\":\"abc\",\"expires_in\":300}"), now);
        assertThat(t.token()).isEqualTo("abc");
        assertThat(t.valid(now.plusSeconds(280))).isTrue();
        assertThat(t.valid(now.plusSeconds(300))).isFalse();
        assertThat(BearerToken.parse(json("{\"access_token\":\"xyz\"}"), now).token()).isEqualTo("xyz");
        assertThat(BearerToken.parse(json("{\"access_token\":\"xyz\"}"), now).valid(now.plusSeconds(40))).isTrue();
        assertThat(BearerToken.parse(json("{\"token\":\"\",\"access_token\":\"b\"}"), now).token()).isEqualTo("b");
        assertThat(t.toString()).doesNotContain("abc");
        assertThatThrownBy(() -> BearerToken.parse(json("{}"), now)).hasMessageContaining("no token");
        assertThatThrownBy(() -> BearerToken.parse(json("<html>"), now)).hasMessageContaining("not valid JSON");
    }

    @Test
    void imageConfig() {
        ImageConfig c = ImageConfig.parse(json("""
                {"architecture":"amd64","os":"linux",
                 "config":{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],"Env":["PATH=/bin","A=b"],
                   "WorkingDir":"/srv","User":"1000:1000","ExposedPorts":{"80/tcp":{},"53/udp":{}},
                   "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Timeout":5000000000,"Retries":3}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted("ab".repeat(32))));
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(c.cmd()).containsExactly("echo hi");
        assertThat(c.env()).containsExactly("PATH=/bin", "A=b");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.exposedPorts()).containsExactly("80/tcp", "53/udp");
        assertThat(c.healthcheck()).isEqualTo(new ImageConfig.Healthcheck(List.of("CMD-SHELL", "true"),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 3));
        assertThat(c.diffIds()).containsExactly("sha256:" + "ab".repeat(32));
        assertThat(c.os()).isEqualTo("linux");
        assertThat(c.architecture()).isEqualTo("amd64");
    }

    @Test
    void minimalImageConfigHasEmptyListsNotNulls() {
        ImageConfig c = ImageConfig.parse(json("{\"config\":{\"Cmd\":null,\"Healthcheck\":{\"Test\":[\"NONE\"]}}}"));
        assertThat(c.entrypoint()).isEmpty();
        assertThat(c.cmd()).isEmpty();
        assertThat(c.env()).isEmpty();
        assertThat(c.exposedPorts()).isEmpty();
        assertThat(c.diffIds()).isEmpty();
        assertThat(c.healthcheck()).isNull();
        assertThat(c.workingDir()).isNull();
        assertThat(ImageConfig.parse(json("{}")).cmd()).isEmpty();
        assertThatThrownBy(() -> ImageConfig.parse(json("[]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageConfig.parse(json("{\"rootfs\":{\"diff_ids\":[\"x\"]}}")))
                .hasMessageContaining("diff_ids");
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
