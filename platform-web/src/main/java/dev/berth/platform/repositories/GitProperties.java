package dev.berth.platform.repositories;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where hosted repositories live and how pushes are checked.
 *
 * @param repositoriesDir bare repositories, {@code TEAM/NAME.git}
 * @param maxPackBytes the largest pack a push may send
 * @param publicUrl the dashboard's address, for links printed to pushers
 * @param insecureRegistries registries image tags may be resolved against over plain HTTP
 */
@ConfigurationProperties("berth.git")
public record GitProperties(Path repositoriesDir, Long maxPackBytes, String publicUrl, List<String> insecureRegistries) {
    public GitProperties {
        if (repositoriesDir == null) repositoriesDir = Path.of("berth-data", "git");
        if (maxPackBytes == null) maxPackBytes = 64L << 20;
        if (publicUrl == null || publicUrl.isBlank()) publicUrl = "http://localhost:8080";
        if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
    }
}
