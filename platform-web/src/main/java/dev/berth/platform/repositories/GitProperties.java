package dev.berth.platform.repositories;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where hosted repositories live and how pushes are checked.
 *
 * @param repositoriesDir bare repositories, {@code TEAM/NAME.git}
 * @param maxPackBytes the largest pack a push may send
 * @param publicUrl the dashboard's address for clone URLs and links printed to pushers; when unset,
 *                  the address the current request came to
 * @param insecureRegistries registries image tags may be resolved against over plain HTTP
 * @param secretKeyFile the key that seals remote tokens and webhook secrets (created when missing)
 * @param pollTickSeconds how often the scheduler looks for external repositories due a fetch
 */
@ConfigurationProperties("berth.git")
public record GitProperties(Path repositoriesDir, Long maxPackBytes, String publicUrl, List<String> insecureRegistries,
                            Path secretKeyFile, Integer pollTickSeconds) {
    public GitProperties {
        if (repositoriesDir == null) repositoriesDir = Path.of("berth-data", "git");
        if (maxPackBytes == null) maxPackBytes = 64L << 20;
        if (secretKeyFile == null) secretKeyFile = repositoriesDir.resolveSibling("secret.key");
        if (pollTickSeconds == null || pollTickSeconds < 1) pollTickSeconds = 5;
        if (publicUrl != null && publicUrl.isBlank()) publicUrl = null;
        if (publicUrl != null && publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        insecureRegistries = insecureRegistries == null ? List.of()
                : insecureRegistries.stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
    }

    /** The configured address, else the scheme, host and port of the request being served. */
    public String baseUrl() {
        if (publicUrl != null) return publicUrl;
        try {
            return org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        } catch (IllegalStateException noRequest) {
            return "http://localhost:8080";
        }
    }
}
