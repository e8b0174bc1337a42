package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void aParentOthersCannotPassThroughIsNamedWithTheFix() throws IOException {
        Path closed = Files.createDirectory(temp.resolve("closed"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path state = Files.createDirectories(closed.resolve("inner/state"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));

        assertThatThrownBy(() -> StateDirectory.requireSearchable(state))
                .hasMessageContaining(closed + " does not let others pass through (mode rwx------)")
                .hasMessageContaining("chmod o+x " + closed);
    }

    @Test
    void searchableParentsPass() throws IOException {
        Path state = Files.createDirectories(temp.resolve("open/state"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(temp.resolve("open"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // The temp directory's own parents (/tmp, /) let others through on any sane host.
        assertThatCode(() -> StateDirectory.requireSearchable(state)).doesNotThrowAnyException();
    }
}
