package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The stored definition reads back as the one parsed at push time, whatever its health check. */
class DefinitionJsonTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "health: {http: {port: http, path: /healthz}, interval: 2s, timeout: 1s, healthyAfter: 2}",
            "health: {tcp: {port: http}}",
            "health: {exec: {command: [\"/bin/sh\", \"-c\", \"test -f /tmp/ok\"]}}",
            "health: {tcp: {port: 8080}}\n    env: {A: b}",
            "health: {tcp: {port: http}}\n    routes: [{host: shop.example.com, port: http, path: /api/}]"})
    void aStoredDefinitionReadsBackUnchanged(String extra) {
        String yaml = """
                apiVersion: berth/v1
                apps:
                  web:
                    image: registry.example.com/acme/web:1.4
                    secrets: [DB_PASSWORD]
                    ports: [{name: http, port: 8080, publish: true}]
                    deploy: {strategy: blue-green, healthTimeout: 5s}
                    %s
                  worker:
                    image: busybox
                """.formatted(extra);
        var parsed = DefinitionParser.parse("berth.yaml", yaml.getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
        if (!(parsed instanceof ParseResult.Valid(Definition definition))) throw new AssertionError(parsed.toString());
        assertThat(DefinitionJson.read(DefinitionJson.write(definition))).isEqualTo(definition);
    }

    @Test
    void somethingElseIsRefusedSayingSo() {
        assertThatThrownBy(() -> DefinitionJson.read("{\"apps\": [{\"name\": \"web\", \"health\": {\"check\": {}}}]}"))
                .hasMessageContaining("stored definition could not be read");
    }
}
