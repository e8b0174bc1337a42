package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeFeaturesParserTest {
    @Test
    void readsRuncFeatures() {
        var f = RuntimeFeaturesParser.parse(TestHosts.runcFeatures());
        assertThat(f.ociVersionMax()).isEqualTo("1.0.2-dev");
        assertThat(f.namespaces()).contains("user", "cgroup", "network");
        assertThat(f.mountOptions()).contains("nosuid", "nodev", "noexec", "ro", "rbind");
        assertThat(f.capabilities()).contains("CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN");
        assertThat(f.seccompActions()).contains("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW");
        assertThat(f.seccompArchitectures()).contains("SCMP_ARCH_X86_64");
    }

    @Test
    void refusesWhatIsNotRuncFeatures() {
        assertThatThrownBy(() -> RuntimeFeaturesParser.parse("runc: command not found"))
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RuntimeFeaturesParser.parse("{}")).hasMessageContaining("runc 1.1 or newer");
    }

    @ParameterizedTest
    @CsvSource({"6.1.0-28-amd64, 4.8, 1", "4.8, 4.8, 0", "4.7.10, 4.8, -1", "5.10, 5.9.99, 1", "1.0.2-dev, 1.0.2, 0"})
    void versionsCompareNumerically(String a, String b, int sign) {
        assertThat(Integer.signum(SeccompPolicy.compareVersions(a, b))).isEqualTo(sign);
    }
}
