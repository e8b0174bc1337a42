package dev.berth.agent.bundle;

import java.util.Set;

/**
 * What the host offers, probed once at the edge and passed in: the bundle builder never reads
 * the environment itself.
 *
 * @param architecture Go/OCI name of the CPU architecture ({@code amd64}, {@code arm64})
 * @param cgroupV2 whether the host runs the unified cgroup hierarchy (then a cgroup namespace is used)
 * @param kernel the running kernel's release ({@code uname -r})
 * @param runtime what {@code runc features} reports
 */
public record HostFacts(String architecture, boolean cgroupV2, String kernel, RuntimeFeatures runtime) {

    /** The parts of {@code runc features} the builder checks its output against. */
    public record RuntimeFeatures(String ociVersionMax, Set<String> mountOptions, Set<String> namespaces,
                                  Set<String> capabilities, Set<String> seccompActions, Set<String> seccompArchitectures,
                                  Set<String> seccompOperators) {
        public RuntimeFeatures {
            mountOptions = Set.copyOf(mountOptions);
            namespaces = Set.copyOf(namespaces);
            capabilities = Set.copyOf(capabilities);
            seccompActions = Set.copyOf(seccompActions);
            seccompArchitectures = Set.copyOf(seccompArchitectures);
            seccompOperators = Set.copyOf(seccompOperators);
        }
    }
}
