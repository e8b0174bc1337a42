package dev.berth.agent.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes an {@link OciSpec} as the {@code config.json} of a bundle. */
public final class ConfigJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ConfigJson() {
    }

    public static String write(OciSpec spec) {
        return JSON.writeValueAsString(spec);
    }
}
