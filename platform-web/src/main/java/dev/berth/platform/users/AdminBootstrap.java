package dev.berth.platform.users;

import dev.berth.atomicfile.AtomicFile;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On first start (no users at all) creates the platform admin {@code admin}. Its password comes
 * from BERTH_ADMIN_PASSWORD, or is generated, printed once and written to a file only the owner
 * can read.
 */
@Component
public class AdminBootstrap implements ApplicationRunner {
    public static final String ADMIN = "admin";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final UserStore users;
    private final UserService service;
    private final AuditLog audit;
    private final String configuredPassword;
    private final Path passwordFile;

    public AdminBootstrap(UserStore users, UserService service, AuditLog audit,
                          @Value("${berth.admin.password:}") String configuredPassword,
                          @Value("${berth.admin.password-file:berth-data/initial-admin-password}") Path passwordFile) {
        this.users = users;
        this.service = service;
        this.audit = audit;
        this.configuredPassword = configuredPassword;
        this.passwordFile = passwordFile;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (users.count() > 0) return;
        boolean generated = configuredPassword.isBlank();
        String password = generated ? generate() : configuredPassword;
        service.createUnchecked(ADMIN, password, true);
        if (generated) {
            writeOwnerOnly(passwordFile, password + "\n");
            System.out.printf("%n  Berth created the platform admin '%s' with password: %s%n"
                    + "  (also in %s, readable only by its owner; change it after signing in)%n%n",
                    ADMIN, password, passwordFile.toAbsolutePath());
        }
        audit.record(AuditEvent.of(AuditEvent.Actor.system(), "user.create", "user:" + ADMIN)
                .detail("platformAdmin", true)
                .detail("password", generated ? "generated" : "from BERTH_ADMIN_PASSWORD"));
    }

    private static String generate() {
        var random = new SecureRandom();
        var sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFile.ownerOnly(file).write(content);
    }
}
