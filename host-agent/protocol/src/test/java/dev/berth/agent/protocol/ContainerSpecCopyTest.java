package dev.berth.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field but the version has a copy method, and it replaces that field and no other. */
class ContainerSpecCopyTest {
    /** Differs from the golden sample in every field but the version. */
    private static final ContainerSpec OTHER = new ContainerSpec(ContainerSpec.VERSION, "api-2", "api", null,
            "registry.example.com/acme/api:2", List.of("/bin/api"), Map.of("MODE", "fast"), new ContainerSpec.UserId(7, 8),
            "/app", new ContainerSpec.Resources(1L << 30, 2000, 512), List.of(new ContainerSpec.VolumeMount("cache", "/cache", 1L << 20)),
            List.of(new ContainerSpec.TmpfsMount("/run", 1L << 20)), List.of(new ContainerSpec.PortPublish(null, 0, 9090)),
            List.of("NET_BIND_SERVICE"), new HealthCheck.Exec(List.of("/bin/true")), new HealthTiming(5000, 2000, 2, 5),
            ContainerSpec.RestartPolicy.NO, null);

    static Stream<RecordComponent> fields() {
        return Arrays.stream(ContainerSpec.class.getRecordComponents()).filter(c -> !c.getName().equals("version"));
    }

    @ParameterizedTest(name = "with {0}")
    @MethodSource("fields")
    void replacesOneFieldOnly(RecordComponent field) throws Exception {
        String name = field.getName();
        var copy = ContainerSpec.class.getMethod("with" + Character.toUpperCase(name.charAt(0)) + name.substring(1), field.getType());
        var base = ContainerSpecGoldenTest.sample();
        var changed = (ContainerSpec) copy.invoke(base, field.getAccessor().invoke(OTHER));
        for (RecordComponent c : ContainerSpec.class.getRecordComponents()) {
            Object expected = c.getAccessor().invoke(c.getName().equals(name) ? OTHER : base);
            assertThat(c.getAccessor().invoke(changed)).as(c.getName()).isEqualTo(expected);
        }
    }
}
