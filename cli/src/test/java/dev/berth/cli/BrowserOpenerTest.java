package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserOpenerTest {
    private static Terminal with(Map<String, String> env) {
        return new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), env);
    }

    @Test
    void browserVariableWinsWithTheAddressWhereItsPercentSIs(@TempDir Path bin) {
        assertThat(BrowserOpener.command(with(Map.of("BROWSER", "firefox --new-tab:lynx")), "http://x/cli-login"))
                .isEqualTo(List.of("firefox", "--new-tab", "http://x/cli-login"));
        assertThat(BrowserOpener.command(with(Map.of("BROWSER", "open-it %s now")), "http://x/"))
                .isEqualTo(List.of("open-it", "http://x/", "now"));
    }

    @Test
    void xdgOpenOnlyWithADisplayAndNothingWithoutEither(@TempDir Path bin) throws Exception {
        var opener = Files.createFile(bin.resolve("xdg-open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThat(BrowserOpener.command(with(Map.of("PATH", bin.toString(), "DISPLAY", ":0")), "http://x/"))
                .isEqualTo(List.of(opener.toString(), "http://x/"));
        assertThat(BrowserOpener.command(with(Map.of("PATH", bin.toString())), "http://x/")).as("no display").isEmpty();
        assertThat(BrowserOpener.command(with(Map.of("PATH", "/nonexistent", "DISPLAY", ":0")), "http://x/")).isEmpty();
        assertThat(BrowserOpener.open(with(Map.of("PATH", "/nonexistent")), "http://x/")).as("never fails").isFalse();
    }
}
