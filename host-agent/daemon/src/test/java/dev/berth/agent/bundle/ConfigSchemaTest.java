package dev.berth.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The generated config.json is valid against the OCI runtime-spec schema, v1.2.1. */
class ConfigSchemaTest {
    @Test
    void generatedConfigsAreValidOciConfigs() throws Exception {
        Path schema = Path.of(ConfigSchemaTest.class.getResource("/oci-runtime-spec-schema/config-schema.json").toURI());
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(SchemaLocation.of("classpath:oci-runtime-spec-schema/config-schema.json"));
        for (boolean v2 : new boolean[]{false, true}) {
            String json = ConfigJson.write(BundleBuilder.build(TestHosts.context(TestHosts.web(), TestHosts.amd64(v2))));
            var errors = validator.validate(JsonMapper.builder().build().readTree(json));
            assertThat(errors).as(json).isEmpty();
        }
        // With a network: the joined namespaces, the createRuntime hook and the resolv.conf mount.
        var options = new java.util.ArrayList<>(SpecOptions.all());
        options.add(SpecOptions.network(new NetworkHook("/s/containers/web/net.request", "/s/containers/web/net.reply",
                "/s/network/resolv/web", "/s/network/netns/web", "/s/network/userns/web", 30)));
        String networked = ConfigJson.write(BundleBuilder.build(TestHosts.context(TestHosts.web(), TestHosts.amd64(true)), options));
        assertThat(validator.validate(JsonMapper.builder().build().readTree(networked))).as(networked).isEmpty();
    }

    @Test
    void theSchemaCheckCanFail() throws Exception {
        Path schema = Path.of(ConfigSchemaTest.class.getResource("/oci-runtime-spec-schema/config-schema.json").toURI());
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(SchemaLocation.of("classpath:oci-runtime-spec-schema/config-schema.json"));
        var errors = validator.validate(JsonMapper.builder().build().readTree(
                "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": 7}}"));
        assertThat(errors).isNotEmpty();
    }
}
