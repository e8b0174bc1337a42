package dev.berth.agent.daemon;

import dev.berth.agent.image.Trees;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A container's own directory, {@code STATE/containers/NAME}, and what the agent keeps there:
 * {@code spec.json} (the spec it runs, without secret values), {@code assigned.json} (present for
 * containers the platform assigned: the fingerprint of what it asked for, and whether it lets the
 * container take traffic), the bundle whose
 * {@code config.json} holds the environment with secret values (0600), and the output log.
 */
record ContainerDir(Path path) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What {@code assigned.json} holds; {@code serving} is absent in files of older agents, which means true. */
    record Assigned(String fingerprint, Boolean serving) {
        Assigned {
            if (serving == null) serving = true;
        }
    }

    Path bundle() {
        return path.resolve("bundle");
    }

    Path log() {
        return path.resolve("output.log");
    }

    boolean hasSpec() {
        return Files.exists(path.resolve("spec.json"));
    }

    ContainerSpec readSpec() throws IOException {
        return JSON.readValue(Files.readString(path.resolve("spec.json")), ContainerSpec.class);
    }

    void writeSpec(ContainerSpec spec) throws IOException {
        write(path.resolve("spec.json"), JSON.writeValueAsBytes(spec), "rw-r-----");
    }

    /** The OCI config; root-only, because the process environment in it carries secret values. */
    void writeConfig(String json) throws IOException {
        Files.createDirectories(bundle());
        write(bundle().resolve("config.json"), json.getBytes(StandardCharsets.UTF_8), "rw-------");
    }

    Path config() {
        return bundle().resolve("config.json");
    }

    Optional<Assigned> assigned() throws IOException {
        Path file = path.resolve("assigned.json");
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(JSON.readValue(Files.readString(file), Assigned.class));
    }

    void writeAssigned(String fingerprint, boolean serving) throws IOException {
        write(path.resolve("assigned.json"), JSON.writeValueAsBytes(new Assigned(fingerprint, serving)), "rw-------");
    }

    /** Removes the directory and everything in it; what vanishes meanwhile is fine. */
    void delete() throws IOException {
        Trees.delete(path);
    }

    /** Created with {@code mode}, replaced whole: never half written, never briefly readable. */
    private static void write(Path file, byte[] content, String mode) throws IOException {
        AtomicFile.at(file).withMode(mode).write(content);
    }
}
