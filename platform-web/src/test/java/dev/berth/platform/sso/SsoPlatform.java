package dev.berth.platform.sso;

import dev.berth.platform.PlatformTest;
import dev.berth.platform.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The settings of a platform of its own, signing in through {@code issuer}, for the single sign-on tests. */
final class SsoPlatform {
    private SsoPlatform() {
    }

    /** Its own database, directories and Quartz scheduler (named {@code berth-NAME-tests}), and the client at the provider. */
    static void register(DynamicPropertyRegistry registry, TestDatabase.Target database, String name, String issuer,
                         String clientId, String clientSecret) throws IOException {
        Path dir = Files.createTempDirectory("berth-" + name + "-");
        database.register(registry);
        registry.add("berth.admin.password", () -> PlatformTest.ADMIN_PASSWORD);
        registry.add("berth.git.repositories-dir", () -> dir.resolve("git").toString());
        registry.add("berth.audit.key-file", () -> dir.resolve("audit.key").toString());
        // Quartz keeps schedulers by name JVM-wide: the shared test context has the default one.
        registry.add("spring.quartz.scheduler-name", () -> "berth-" + name + "-tests");
        registry.add("berth.sso.issuer-uri", () -> issuer);
        registry.add("berth.sso.client-id", () -> clientId);
        registry.add("berth.sso.client-secret", () -> clientSecret);
    }
}
