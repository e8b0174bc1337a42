package dev.berth.agent.peer;

import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's {@link PeerIdentity} in one owner-only file, replaced whole, so the key and its
 * certificate always change together: {@code STATE/platform/peer-identity.json}.
 */
public final class PeerIdentityStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path file;

    private record Stored(String privateKey, String certificate, String caCertificate) {
    }

    public PeerIdentityStore(Path file) {
        this.file = file;
    }

    /** The store in an agent's state directory. */
    public static PeerIdentityStore in(Path state) {
        return new PeerIdentityStore(state.resolve("platform").resolve("peer-identity.json"));
    }

    public Path file() {
        return file;
    }

    /** The stored identity; empty when there is none yet (an agent that joined before certificates). */
    public Optional<PeerIdentity> read() throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        Stored stored;
        try {
            stored = JSON.readValue(Files.readString(file), Stored.class);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a stored peer identity: " + e.getOriginalMessage() + "; remove it and restart", e);
        }
        var key = Pem.parsePrivateKey(stored.privateKey(), file + ": privateKey");
        var certificate = Pem.parseCertificate(stored.certificate(), file + ": certificate");
        var ca = Pem.parseCertificate(stored.caCertificate(), file + ": caCertificate");
        try {
            return Optional.of(new PeerIdentity(key, certificate, ca));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file whole, 0600 from its creation, in a 0700 directory when it has to make one. */
    public void write(PeerIdentity identity) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        var stored = new Stored(Pem.privateKey(identity.key()), Pem.certificate(identity.certificate()), Pem.certificate(identity.ca()));
        AtomicFile.ownerOnly(file).write(JSON.writeValueAsBytes(stored));
    }
}
