package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void sealsAndOpensWithoutTheSecretInTheSealedBytes() {
        var box = SecretBox.fromFile(dir.resolve("secret.key"));
        byte[] sealed = box.seal("ghp_remote-token", "row");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("remote-token");
        assertThat(box.open(sealed, "row")).isEqualTo("ghp_remote-token");
        assertThat(box.seal("same", "row")).as("a fresh nonce every time").isNotEqualTo(box.seal("same", "row"));
    }

    @Test
    void theKeyFileIsCreatedOnceReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("secret.key");
        byte[] sealed = SecretBox.fromFile(file).seal("kept", "row");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretBox.fromFile(file).open(sealed, "row")).as("the same key after a restart").isEqualTo("kept");
    }

    @Test
    void aMissingDirectoryIsCreatedForItsOwnerOnlyAndNoCopyIsLeftAside() throws Exception {
        Path file = dir.resolve("fresh/data/secret.key");
        SecretBox.fromFile(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("fresh"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var names = Files.list(file.getParent())) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("secret.key");
        }
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedSayingWhatToDo() throws Exception {
        Path file = dir.resolve("shared.key");
        byte[] sealed = SecretBox.fromFile(file).seal("kept", "row");
        for (String mode : new String[] {"rw-r--r--", "rw----r--", "rw-rw----", "rw-------"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            if (mode.equals("rw-------")) {
                assertThat(SecretBox.fromFile(file).open(sealed, "row")).as("owner-only again").isEqualTo("kept");
            } else {
                assertThatThrownBy(() -> SecretBox.fromFile(file)).as(mode)
                        .hasMessageContaining(file.toAbsolutePath() + " is " + mode)
                        .hasMessageContaining("chmod 600 " + file);
            }
        }
    }

    @Test
    void aTamperedSecretOrAnotherKeyFailsLoudly() {
        var box = SecretBox.fromFile(dir.resolve("a.key"));
        byte[] sealed = box.seal("token", "row");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed, "row")).hasMessageContaining("could not be opened");
        assertThatThrownBy(() -> SecretBox.fromFile(dir.resolve("b.key")).open(box.seal("token", "row"), "row"))
                .hasMessageContaining("was the secret key replaced");
        assertThatThrownBy(() -> new SecretBox(new byte[16])).hasMessageContaining("must be 32 bytes");
    }

    @Test
    void aValueSealedForOneContextDoesNotOpenInAnother() {
        var box = SecretBox.fromFile(dir.resolve("c.key"));
        byte[] sealed = box.seal("db-password", "app-secret:1/web/DB_PASSWORD");
        assertThat(box.open(sealed, "app-secret:1/web/DB_PASSWORD")).isEqualTo("db-password");
        assertThatThrownBy(() -> box.open(sealed, "app-secret:1/api/DB_PASSWORD"))
                .hasMessageContaining("moved from another row");
        assertThatThrownBy(() -> box.openUnbound(sealed)).hasMessageContaining("could not be opened");
        assertThatThrownBy(() -> box.seal("x", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRepositorysSealsDifferByRowPurposeAndRemote() {
        var box = SecretBox.fromFile(dir.resolve("d.key"));
        byte[] token = box.seal("ghp_x", RepositorySeals.remoteToken(1, "api", "https://git.example/a.git"));
        byte[] hook = box.seal("hook", RepositorySeals.webhookSecret(1, "api"));
        assertThat(box.open(token, RepositorySeals.remoteToken(1, "api", "https://git.example/a.git"))).isEqualTo("ghp_x");
        assertThat(box.open(hook, RepositorySeals.webhookSecret(1, "api"))).isEqualTo("hook");
        for (String other : new String[] {RepositorySeals.remoteToken(2, "api", "https://git.example/a.git"),
                RepositorySeals.remoteToken(1, "web", "https://git.example/a.git"),
                RepositorySeals.remoteToken(1, "api", "https://attacker.example/a.git"), RepositorySeals.webhookSecret(1, "api")}) {
            assertThatThrownBy(() -> box.open(token, other)).as(other).hasMessageContaining("moved from another row");
        }
        assertThatThrownBy(() -> box.open(hook, RepositorySeals.remoteToken(1, "api", ""))).hasMessageContaining("moved");
        assertThatThrownBy(() -> box.open(hook, RepositorySeals.webhookSecret(1, "web"))).hasMessageContaining("moved");
    }
}
