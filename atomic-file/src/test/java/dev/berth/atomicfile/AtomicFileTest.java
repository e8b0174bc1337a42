package dev.berth.atomicfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void contentIsReplacedWholeAndNoTemporaryFileStays() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFile.at(file).write("{\"old\":1}");
        AtomicFile.at(file).write("{\"new\":2}");
        assertThat(Files.readString(file)).isEqualTo("{\"new\":2}");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldContentAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFile.at(file).write("old");
        assertThatThrownBy(() -> AtomicFile.at(file).write(channel -> {
            channel.write(ByteBuffer.wrap("half of the new".getBytes()));
            throw new IOException("digest mismatch");
        })).hasMessage("digest mismatch");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void aRenameThatFailsRemovesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> AtomicFile.at(target).write("new")).isInstanceOf(IOException.class);
        assertThat(names()).containsExactly("taken");
    }

    @Test
    void aSecretFileIsOwnerOnlyFromItsCreation() throws IOException {
        Path file = dir.resolve("secret.key");
        AtomicFile.ownerOnly(file).write(channel -> {
            // Already 0600 while the content is being written, not narrowed afterwards.
            Path temp = names().stream().filter(n -> n.endsWith(".tmp")).map(dir::resolve).findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp))).isEqualTo("rw-------");
            channel.write(ByteBuffer.wrap("k".getBytes()));
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        AtomicFile.at(dir.resolve("public")).withMode("rw-r--r--").write("p");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("public")))).isEqualTo("rw-r--r--");
    }

    @Test
    void anUnsyncedWriteStillReplacesWhole() throws IOException {
        Path file = dir.resolve("checkpoint");
        AtomicFile.ownerOnly(file).unsynced().write("1");
        AtomicFile.ownerOnly(file).unsynced().write("2");
        assertThat(Files.readString(file)).isEqualTo("2");
        assertThat(names()).containsExactly("checkpoint");
    }

    @Test
    void createIfAbsentNeverReplaces() throws IOException {
        Path file = dir.resolve("password");
        assertThat(AtomicFile.ownerOnly(file).createIfAbsent("first".getBytes())).isTrue();
        assertThat(AtomicFile.ownerOnly(file).createIfAbsent("second".getBytes())).isFalse();
        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(names()).containsExactly("password");
    }

    @Test
    void aFinishedDirectoryMovesIntoPlaceWhole() throws IOException {
        Path staging = Files.createDirectories(dir.resolve(".staging"));
        Files.writeString(staging.resolve("marker"), "done");
        AtomicFile.moveDirectoryIntoPlace(staging, dir.resolve("snapshot"));
        assertThat(Files.readString(dir.resolve("snapshot/marker"))).isEqualTo("done");
        assertThat(names()).containsExactly("snapshot");

        Path again = Files.createDirectories(dir.resolve(".again"));
        Files.writeString(dir.resolve("snapshot/other"), "x");
        assertThatThrownBy(() -> AtomicFile.moveDirectoryIntoPlace(again, dir.resolve("snapshot")))
                .as("a complete directory already there is not replaced").isInstanceOf(IOException.class);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
