package dev.berth.platform.network;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the platform may connect on behalf of definitions and repository settings.
 *
 * @param allowedPrivateTargets addresses ({@code 10.0.0.5}), ranges ({@code 10.0.0.0/8},
 *                              {@code fd00::/8}) or host names that registries and external
 *                              repositories may have although they are loopback, private,
 *                              link-local or the platform's own
 */
@ConfigurationProperties("berth.network")
public record NetworkProperties(List<String> allowedPrivateTargets) {
    /** How refusals name the setting. */
    public static final String SETTING = "berth.network.allowed-private-targets, BERTH_ALLOWED_PRIVATE_TARGETS";

    public NetworkProperties {
        allowedPrivateTargets = allowedPrivateTargets == null ? List.of()
                : allowedPrivateTargets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
