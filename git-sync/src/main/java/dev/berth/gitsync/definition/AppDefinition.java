package dev.berth.gitsync.definition;

import java.util.List;
import java.util.Map;

/**
 * One app as declared, with defaults filled in.
 *
 * @param name         DNS label (RFC 1123), unique in the file
 * @param image        image reference as written; a tag is pinned to a digest later, at sync
 * @param command      empty means the image's own entrypoint and command
 * @param env          plain environment, in file order
 * @param secrets      names of secrets whose values live in Berth, never in git
 * @param replicas     default 1
 * @param user         null means the image's user
 * @param resources    each field defaults separately, see {@link Resources#DEFAULT}
 * @param ports        in file order
 * @param health       null when the app has no health check
 * @param volumes      persistent, size-capped
 * @param tmpfs        memory-backed scratch mounts, in file order
 * @param capabilities additions from the allow-list, normalised without {@code CAP_}
 * @param deploy       default {@link Deploy#DEFAULT}
 * @param network      default {@link Network#NONE}: loopback only
 * @param routes       host names and path prefixes that reach the app's ports, in file order;
 *                     empty when none (not served yet: issue 13 builds the edge)
 */
public record AppDefinition(
        String name,
        String image,
        List<String> command,
        Map<String, String> env,
        List<String> secrets,
        int replicas,
        UserSpec user,
        Resources resources,
        List<Port> ports,
        Health health,
        List<Volume> volumes,
        List<Tmpfs> tmpfs,
        List<String> capabilities,
        Deploy deploy,
        Network network,
        List<Route> routes) {

    public AppDefinition {
        command = List.copyOf(command);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        secrets = List.copyOf(secrets);
        ports = List.copyOf(ports);
        volumes = List.copyOf(volumes);
        tmpfs = List.copyOf(tmpfs);
        capabilities = List.copyOf(capabilities);
        if (network == null) network = Network.NONE;
        routes = routes == null ? List.of() : List.copyOf(routes); // null: stored before routes existed
    }

    /** An app without routes, as every app was before routes existed. */
    public AppDefinition(String name, String image, List<String> command, Map<String, String> env, List<String> secrets,
                         int replicas, UserSpec user, Resources resources, List<Port> ports, Health health,
                         List<Volume> volumes, List<Tmpfs> tmpfs, List<String> capabilities, Deploy deploy,
                         Network network) {
        this(name, image, command, env, secrets, replicas, user, resources, ports, health, volumes, tmpfs,
                capabilities, deploy, network, List.of());
    }
}
