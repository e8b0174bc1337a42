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
        byte[] sealed = box.seal("ghp_remote-token");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("remote-token");
        assertThat(box.open(sealed)).isEqualTo("ghp_remote-token");
        assertThat(box.seal("same")).as("a fresh nonce every time").isNotEqualTo(box.seal("same"));
    }

    @Test
    void theKeyFileIsCreatedOnceReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("secret.key");
        byte[] sealed = SecretBox.fromFile(file).seal("kept");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretBox.fromFile(file).open(sealed)).as("the same key after a restart").isEqualTo("kept");
    }

    @Test
    void aTamperedSecretOrAnotherKeyFailsLoudly() {
        var box = SecretBox.fromFile(dir.resolve("a.key"));
        byte[] sealed = box.seal("token");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed)).hasMessageContaining("could not be opened");
        assertThatThrownBy(() -> SecretBox.fromFile(dir.resolve("b.key")).open(box.seal("token")))
                .hasMessageContaining("was the secret key replaced?");
        assertThatThrownBy(() -> new SecretBox(new byte[16])).hasMessageContaining("must be 32 bytes");
    }

    @Test
    void aValueSealedForOneContextDoesNotOpenInAnother() {
        var box = SecretBox.fromFile(dir.resolve("c.key"));
        byte[] sealed = box.seal("db-password", "app-secret:1/web/DB_PASSWORD");
        assertThat(box.open(sealed, "app-secret:1/web/DB_PASSWORD")).isEqualTo("db-password");
        assertThatThrownBy(() -> box.open(sealed, "app-secret:1/api/DB_PASSWORD"))
                .hasMessageContaining("moved from another row");
        assertThatThrownBy(() -> box.open(sealed)).hasMessageContaining("could not be opened");
        assertThatThrownBy(() -> box.open(box.seal("x"), "app-secret:1/web/X")).hasMessageContaining("could not be opened");
    }
}
