package dev.berth.platform.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This instance's name for people: the machine's host name and the HTTP port, as in
 * {@code web-1:8080}. Read from the kernel, not looked up: naming an instance must send no packet.
 */
@Component
public class InstanceName {
    private final String value;

    InstanceName(@Value("${server.port:8080}") int port) {
        this.value = hostname() + ":" + port;
    }

    public String value() {
        return value;
    }

    private static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) return name;
        } catch (IOException | RuntimeException e) {
            // not Linux: the environment, if it says
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.strip();
    }
}
