package dev.berth.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StoreFullTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new IOException("No space left on device"), true),
                Arguments.of(new FileSystemException("/s/images/x", null, "No space left on device"), true),
                Arguments.of(new IOException("big/layer: java.io.IOException: No space left on device",
                        new IOException("No space left on device")), true),
                Arguments.of(new IOException("downloading blob failed after 3 attempts",
                        new IOException("wrapped", new IOException("Disk quota exceeded"))), true),
                Arguments.of(new IOException("Connection reset"), false),
                Arguments.of(new LayerRejected("etc/x", "corrupt or truncated layer"), false),
                Arguments.of(new IOException((String) null), false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFullDiskIsFoundAnywhereInTheChain(Throwable failure, boolean full) {
        assertThat(StoreFull.noSpace(failure)).isEqualTo(full);
    }

    @Test
    void sizesAreSaidAsPeopleReadThem() {
        assertThat(StoreFull.size(512)).isEqualTo("512 bytes");
        assertThat(StoreFull.size(1536)).isEqualTo("1.5 KiB");
        assertThat(StoreFull.size(56L << 20)).isEqualTo("56.0 MiB");
        assertThat(StoreFull.size(3L << 30)).isEqualTo("3.0 GiB");
    }

    @Test
    void aPullThatCannotFitIsRefusedNamingTheDirectoryAndTheSizes(@TempDir Path dir) throws IOException {
        StoreFull.require(dir, 1, "acme/web:1");
        assertThatThrownBy(() -> StoreFull.require(dir, Long.MAX_VALUE, "acme/web:1"))
                .isInstanceOfSatisfying(StoreFull.class, f -> {
                    assertThat(f.directory()).isEqualTo(dir);
                    assertThat(f.needed()).isEqualTo(Long.MAX_VALUE);
                    assertThat(f.left()).isPositive();
                })
                .hasMessageStartingWith(dir + " has no room for acme/web:1: its blobs need ")
                .hasMessageContaining("free space (berth-agent image rm, image gc) and pull again");
        assertThat(StoreFull.of(new IOException("Connection reset"), dir, "pulling acme/web:1")).isNull();
        assertThat(StoreFull.of(new IOException("No space left on device"), dir, "pulling acme/web:1"))
                .hasMessageStartingWith(dir + " is full: pulling acme/web:1 ran out of space (No space left on device); ");
    }
}
