package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
