package dev.berth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunArgumentsTest {
    private static List<String> base(String... extra) {
        var args = new ArrayList<>(List.of("--name", "web-1", "--rootfs", "/srv/rootfs"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    @Test
    void everyOptionLandsInTheSpec() {
        var spec = RunArguments.parse(base("--app", "web", "--env", "A=1", "--env", "B=x=y", "--user", "1000:1001",
                "--memory", "64Mi", "--cpus", "0.5", "--pids", "32", "--volume", "data:/data:1Gi", "--tmpfs", "/tmp:16Mi",
                "--publish", "8080:80", "--publish", "127.0.0.1:8443:443", "--cap", "CHOWN", "--health-http", "80/healthz",
                "--restart", "on-failure", "--", "/bin/httpd", "-f"));
        assertThat(spec.app()).isEqualTo("web");
        assertThat(spec.env()).containsEntry("A", "1").containsEntry("B", "x=y");
        assertThat(spec.user()).isEqualTo(new ContainerSpec.UserId(1000, 1001));
        assertThat(spec.resources()).isEqualTo(new ContainerSpec.Resources(64L << 20, 500, 32));
        assertThat(spec.volumes()).containsExactly(new ContainerSpec.VolumeMount("data", "/data", 1L << 30));
        assertThat(spec.tmpfs()).containsExactly(new ContainerSpec.TmpfsMount("/tmp", 16L << 20));
        assertThat(spec.ports()).containsExactly(new ContainerSpec.PortPublish(null, 8080, 80),
                new ContainerSpec.PortPublish("127.0.0.1", 8443, 443));
        assertThat(spec.capabilities()).containsExactly("CHOWN");
        assertThat(spec.health()).isEqualTo(new HealthCheck.Http(80, "/healthz"));
        assertThat(spec.restart()).isEqualTo(ContainerSpec.RestartPolicy.ON_FAILURE);
        assertThat(spec.command()).containsExactly("/bin/httpd", "-f");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--memory 64MB|bad size '64MB' for --memory: use a whole number with Ki, Mi or Gi, like 64Mi",
            "--memory lots|bad size 'lots'",
            "--cpus half|--cpus 'half' must be a number of cores",
            "--cpus 0|--cpus '0' must be a number of cores",
            "--pids 0|--pids must be at least 1",
            "--volume data:/data|--volume 'data:/data' must be NAME:/path:SIZE",
            "--volume data:/data:big|bad size 'big' for --volume data",
            "--tmpfs /tmp|--tmpfs '/tmp' must be /path:SIZE",
            "--publish 80|--publish '80' must be [HOSTADDR:]HOSTPORT:PORT",
            "--publish 70000:80|--publish port 70000 is not between 1 and 65535",
            "--user root|--user 'root' must be UID:GID",
            "--user 70000:0|--user uid 70000 is outside the container's ids 0-65535",
            "--env NOVALUE|--env 'NOVALUE' must look like KEY=VALUE",
            "--restart always|--restart must be 'no' or 'on-failure'",
            "--health-http healthz|--health-http 'healthz' must be PORT/PATH",
            "--frobnicate yes|unknown option --frobnicate"})
    void badArgumentsSayWhatIsWrong(String args, String message) {
        var list = base(args.split(" "));
        list.addAll(List.of("--", "/bin/true"));
        assertThatThrownBy(() -> RunArguments.parse(list)).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void requiredPartsAreNamed() {
        assertThatThrownBy(() -> RunArguments.parse(List.of("--rootfs", "/x", "--", "/bin/true"))).hasMessage("--name is required");
        assertThatThrownBy(() -> RunArguments.parse(List.of("--name", "a", "--", "/bin/true"))).hasMessage("give exactly one of --rootfs DIR and --image REF");
        assertThatThrownBy(() -> RunArguments.parse(List.of("--name", "a", "--rootfs", "/x", "--image", "busybox", "--", "/bin/true")))
                .hasMessage("give exactly one of --rootfs DIR and --image REF");
        assertThatThrownBy(() -> RunArguments.parse(List.of("--name", "a", "--image", "busybox", "--workdir", "srv")))
                .hasMessageContaining("must be an absolute path");
        var fromImage = RunArguments.parse(List.of("--name", "a", "--image", "127.0.0.1:5000/busybox:1"));
        assertThat(fromImage.image()).isEqualTo("127.0.0.1:5000/busybox:1");
        assertThat(fromImage.command()).as("the image's entrypoint and cmd apply").isEmpty();
        assertThat(fromImage.workingDir()).as("the image's working directory applies").isNull();
        assertThatThrownBy(() -> RunArguments.parse(base())).hasMessageContaining("give the command to run after --");
        assertThatThrownBy(() -> RunArguments.parse(base("--memory"))).hasMessage("--memory needs a value");
    }
}
