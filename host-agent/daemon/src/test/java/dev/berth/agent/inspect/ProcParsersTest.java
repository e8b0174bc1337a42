package dev.berth.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcParsersTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0000000000000400|[CAP_NET_BIND_SERVICE]",
            "0000000000000000|[]",
            "0000000000240401|[CAP_CHOWN, CAP_NET_BIND_SERVICE, CAP_SYS_ADMIN, CAP_SYS_CHROOT]",
            "000001ffffffffff|41"})
    void capabilityMasksDecode(String mask, String expected) {
        var caps = CapabilitySet.decode(mask);
        if (expected.startsWith("[")) assertThat(caps.toString()).isEqualTo(expected);
        else assertThat(caps).hasSize(Integer.parseInt(expected));
    }

    @Test
    void statusFieldsAreReadByName() {
        var s = ProcStatus.parse("Name:\tsh\nNoNewPrivs:\t1\nSeccomp:\t2\nCapEff:\t0000000000000400\n");
        assertThat(s.get("NoNewPrivs")).hasValue("1");
        assertThat(s.get("Seccomp")).hasValue("2");
        assertThat(s.get("Missing")).isEmpty();
    }

    @Test
    void mountinfoJoinsMountAndSuperblockOptionsAndKeepsTheTopMount() {
        var m = MountInfo.parse("""
                600 500 0:50 / / ro,relatime - overlay overlay rw,lowerdir=/x
                601 600 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
                602 600 0:52 / /my\\040data rw,relatime - tmpfs tmpfs rw,size=1024k
                603 600 0:53 / /tmp rw,relatime - tmpfs tmpfs rw
                604 603 0:54 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=16384k
                """);
        assertThat(m.at("/").orElseThrow().options()).contains("ro", "lowerdir=/x");
        assertThat(m.at("/proc").orElseThrow().options()).contains("nosuid", "nodev", "noexec");
        assertThat(m.at("/my data")).isPresent();
        assertThat(m.at("/tmp").orElseThrow().options()).contains("nosuid", "size=16384k");
        assertThat(m.at("/nope")).isEmpty();
    }
}
