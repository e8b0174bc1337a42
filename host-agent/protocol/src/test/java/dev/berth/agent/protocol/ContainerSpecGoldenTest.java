package dev.berth.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire form of a container spec, pinned by a golden file: a change to the records that would
 * break agents or platforms already deployed shows up here first.
 */
class ContainerSpecGoldenTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ContainerSpec sample() {
        return new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", "/var/lib/berth-agent/rootfs/web", null,
                List.of("/bin/httpd", "-f", "-p", "8080"), Map.of("GREETING", "hello"), new ContainerSpec.UserId(1000, 1000),
                "/srv", new ContainerSpec.Resources(134217728, 500, 128),
                List.of(new ContainerSpec.VolumeMount("data", "/data", 67108864)),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 16777216)),
                List.of(new ContainerSpec.PortPublish("127.0.0.1", 18080, 8080)),
                List.of("CHOWN"), new HealthCheck.Http(8080, "/healthz"), new HealthTiming(2000, 1000, 1, 3),
                ContainerSpec.RestartPolicy.ON_FAILURE,
                new ContainerSpec.Network(ContainerSpec.Egress.PUBLIC, List.of(new ContainerSpec.EgressRule("10.20.0.5/32", 5432)),
                        List.of(new ContainerSpec.Connect("acme-db", "pg", 15432))));
    }

    private static String golden() throws IOException {
        try (var in = ContainerSpecGoldenTest.class.getResourceAsStream("/golden/container-spec-v1.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theGoldenFileReadsAsTheSample() throws IOException {
        assertThat(JSON.readValue(golden(), ContainerSpec.class)).isEqualTo(sample());
    }

    @Test
    void theSampleWritesAsTheGoldenFile() throws IOException {
        assertThat(JSON.readTree(JSON.writeValueAsString(sample()))).isEqualTo(JSON.readTree(golden()));
    }

    @Test
    void aSpecWithoutHealthTimingGetsTheDefault() {
        String json = "{\"version\":1,\"name\":\"a\",\"rootfs\":\"/r\"}";
        assertThat(JSON.readValue(json, ContainerSpec.class).healthTiming()).isEqualTo(HealthTiming.DEFAULT);
    }

    @Test
    void everyHealthCheckKindRoundTrips() {
        for (HealthCheck h : List.of(new HealthCheck.Http(80, "/"), new HealthCheck.Tcp(5432), new HealthCheck.Exec(List.of("true")))) {
            assertThat(JSON.readValue(JSON.writeValueAsString(h), HealthCheck.class)).isEqualTo(h);
        }
    }
}
