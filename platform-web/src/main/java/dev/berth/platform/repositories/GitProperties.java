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
 * @param maxObjectBytes the largest object (file) a push may send
 * @param maxFetchBytes the largest pack a fetch of an external repository may bring
 * @param maxImageLayers the most layers an image named in a definition may have
 * @param maxImageBytes the largest total size (config and layers, compressed) of such an image
 */
@ConfigurationProperties("berth.git")
public record GitProperties(Path repositoriesDir, Long maxPackBytes, String publicUrl, List<String> insecureRegistries,
                            Path secretKeyFile, Integer pollTickSeconds, Long maxObjectBytes, Long maxFetchBytes,
                            Integer maxImageLayers, Long maxImageBytes) {
    public GitProperties {
        if (repositoriesDir == null) repositoriesDir = Path.of("berth-data", "git");
        if (maxPackBytes == null) maxPackBytes = 64L << 20;
        if (maxObjectBytes == null) maxObjectBytes = 32L << 20;
        if (maxFetchBytes == null) maxFetchBytes = 256L << 20;
        if (maxImageLayers == null) maxImageLayers = 128;
        if (maxImageBytes == null) maxImageBytes = 16L << 30;
        if (maxObjectBytes < 1 || maxFetchBytes < 1 || maxImageLayers < 1 || maxImageBytes < 1) {
            throw new IllegalArgumentException("berth.git size limits must be positive");
        }
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
