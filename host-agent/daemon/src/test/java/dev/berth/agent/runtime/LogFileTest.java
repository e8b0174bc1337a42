package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    @TempDir
    Path dir;

    @Test
    void growsPastItsCapThenRotatesKeepingTheNewestCopiesAndTheWriterCarriesOn() throws Exception {
        var log = new LogFile(dir.resolve("output.log"), 100, 2);
        try (var writer = new FileOutputStream(log.path().toFile(), true)) {
            for (int round = 1; round <= 4; round++) {
                writer.write(("round " + round + " ").repeat(20).getBytes(StandardCharsets.US_ASCII));
                writer.flush();
                assertThat(log.rotateIfNeeded()).isTrue();
                assertThat(Files.size(log.path())).isZero();
            }
            writer.write("after\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(log.rotateIfNeeded()).isFalse();
        assertThat(Files.readString(log.path())).isEqualTo("after\n");
        assertThat(Files.readString(log.rotated(1))).startsWith("round 4");
        assertThat(Files.readString(log.rotated(2))).startsWith("round 3");
        assertThat(log.rotated(3)).doesNotExist();
    }

    @Test
    void logsAndTheirRotatedCopiesAreRootsAlone() throws Exception {
        Path file = dir.resolve("output.log");
        LogFile.createPrivate(file);
        assertThat(mode(file)).isEqualTo("rw-------");
        // An older agent's log, created with the umask's mode, is closed when the container starts again.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(file, "x".repeat(200));
        LogFile.createPrivate(file);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Files.readString(file)).hasSize(200);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new LogFile(file, 100, 1).rotateIfNeeded()).isTrue();
        assertThat(mode(dir.resolve("output.log.1"))).isEqualTo("rw-------");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
