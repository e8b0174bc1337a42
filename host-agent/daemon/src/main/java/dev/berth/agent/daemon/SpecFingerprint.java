package dev.berth.agent.daemon;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One value standing for everything the platform asked of a container's process: its spec exactly
 * as sent and its secret values. Two assignments of a container with equal fingerprints need no
 * replace. Whether it serves is left out on purpose (a traffic switch must not restart it), and so
 * is the revision, a label for reports.
 * It is an HMAC-SHA256 under a random key of this agent ({@code STATE/fingerprint.key}, 0600), so
 * the fingerprint kept beside a container gives nothing away about its secrets, even short ones.
 */
final class SpecFingerprint {
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private SpecFingerprint() {
    }

    /** The fingerprint of an assigned container: of its spec and secrets, not its traffic flag or revision. Pure. */
    static String of(byte[] key, AssignedContainer assigned) {
        return of(key, assigned.spec(), assigned.secrets());
    }

    /** {@code hmac-sha256:HEX} of the canonical JSON of the spec and of the secrets sorted by name. Pure. */
    static String of(byte[] key, ContainerSpec spec, Map<String, String> secrets) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(CANONICAL.writeValueAsBytes(spec));
            mac.update((byte) 0);
            mac.update(CANONICAL.writeValueAsBytes(new TreeMap<>(secrets)));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** This agent's key, made on first use (created 0600, never rewritten). */
    static byte[] key(Path stateDir) throws IOException {
        Path file = stateDir.resolve("fingerprint.key");
        if (!Files.exists(file)) {
            var fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            // Never replaces: if another agent made one meanwhile, that one is kept.
            AtomicFile.ownerOnly(file).createIfAbsent(HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
        }
        String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            byte[] key = HexFormat.of().parseHex(hex);
            if (key.length < 16) throw new IllegalArgumentException("too short");
            return key;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "); remove it and every platform container"
                    + " will be replaced once, on its next assignment");
        }
    }
}
