package dev.berth.agent.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Docker's default seccomp profile (moby, Apache-2.0; shipped beside this class with its licence),
 * resolved the way Docker resolves it: keep the rules whose {@code includes} match the host
 * architecture, the granted capabilities and the kernel, drop those whose {@code excludes} do.
 * Everything not allowed fails with EPERM.
 */
public final class SeccompPolicy {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode PROFILE = load();

    private SeccompPolicy() {
    }

    private static JsonNode load() {
        try (InputStream in = SeccompPolicy.class.getResourceAsStream("moby-seccomp-default.json")) {
            if (in == null) throw new IllegalStateException("moby-seccomp-default.json is missing from the agent jar");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param architecture Go name of the host architecture ({@code amd64})
     * @param capabilities granted capabilities, {@code CAP_} names
     * @param kernel the running kernel's version, e.g. {@code 6.1.0}
     */
    public static OciSpec.Seccomp resolve(String architecture, Set<String> capabilities, String kernel) {
        var rules = new ArrayList<OciSpec.SyscallRule>();
        for (JsonNode rule : PROFILE.path("syscalls")) {
            if (!applies(rule.path("includes"), rule.path("excludes"), architecture, capabilities, kernel)) continue;
            var names = new ArrayList<String>();
            rule.path("names").forEach(n -> names.add(n.asString()));
            var args = new ArrayList<OciSpec.SyscallArg>();
            rule.path("args").forEach(a -> args.add(new OciSpec.SyscallArg(a.path("index").asLong(), a.path("value").asLong(),
                    a.path("valueTwo").asLong(0) == 0 ? null : a.path("valueTwo").asLong(), a.path("op").asString())));
            Long errno = rule.has("errnoRet") ? rule.path("errnoRet").asLong() : null;
            rules.add(new OciSpec.SyscallRule(List.copyOf(names), rule.path("action").asString(), errno,
                    args.isEmpty() ? null : List.copyOf(args)));
        }
        return new OciSpec.Seccomp(PROFILE.path("defaultAction").asString(), PROFILE.path("defaultErrnoRet").asLong(),
                architectures(architecture), List.copyOf(rules));
    }

    /** The host's seccomp architecture and the compat ones it can also execute. */
    static List<String> architectures(String architecture) {
        String native_ = switch (architecture) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            default -> throw new IllegalArgumentException("no seccomp architecture known for '" + architecture + "'");
        };
        var out = new ArrayList<String>();
        for (JsonNode entry : PROFILE.path("archMap")) {
            if (native_.equals(entry.path("architecture").asString())) {
                out.add(native_);
                entry.path("subArchitectures").forEach(s -> out.add(s.asString()));
            }
        }
        if (out.isEmpty()) out.add(native_);
        return List.copyOf(out);
    }

    private static boolean applies(JsonNode includes, JsonNode excludes, String arch, Set<String> caps, String kernel) {
        if (!includes.isMissingNode()) {
            if (includes.has("arches") && !contains(includes.path("arches"), arch)) return false;
            for (JsonNode cap : includes.path("caps")) if (!caps.contains(cap.asString())) return false;
            if (includes.has("minKernel") && compareVersions(kernel, includes.path("minKernel").asString()) < 0) return false;
        }
        if (!excludes.isMissingNode()) {
            if (contains(excludes.path("arches"), arch)) return false;
            for (JsonNode cap : excludes.path("caps")) if (caps.contains(cap.asString())) return false;
        }
        return true;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) if (n.asString().equals(value)) return true;
        return false;
    }

    /** Compares dotted numeric versions, ignoring any suffix after the numbers ({@code 6.1.0-13-amd64}). */
    static int compareVersions(String a, String b) {
        String[] x = a.replaceFirst("^([0-9.]*).*", "$1").split("\\.");
        String[] y = b.replaceFirst("^([0-9.]*).*", "$1").split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length && !x[i].isEmpty() ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length && !y[i].isEmpty() ? Integer.parseInt(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }
}
