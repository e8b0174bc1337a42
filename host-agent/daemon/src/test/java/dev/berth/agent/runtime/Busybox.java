package dev.berth.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A minimal root filesystem for runtime tests: a static busybox and the applets a test names. */
public final class Busybox {
    private Busybox() {
    }

    public static Path tree(Path dir, String... applets) throws IOException {
        for (String d : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "data", "www")) Files.createDirectories(dir.resolve(d));
        Files.copy(RuntimePrerequisites.BUSYBOX, dir.resolve("bin/busybox"));
        for (String applet : applets) Files.createSymbolicLink(dir.resolve("bin").resolve(applet), Path.of("busybox"));
        for (String file : List.of("etc/hosts", "etc/resolv.conf", "etc/hostname")) Files.createFile(dir.resolve(file));
        return dir;
    }
}
