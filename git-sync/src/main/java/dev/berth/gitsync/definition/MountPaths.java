package dev.berth.gitsync.definition;

import java.util.List;
import java.util.regex.Pattern;

/** Where volumes and tmpfs may be mounted inside a container. */
final class MountPaths {
    // Conservative on purpose: no spaces, commas or colons, which mount option strings treat specially.
    private static final Pattern CHARS = Pattern.compile("[A-Za-z0-9._@+=/-]+");
    private static final List<String> FORBIDDEN = List.of("/proc", "/sys", "/dev");

    private MountPaths() {
    }

    /** Null when the path may be used, otherwise what is wrong with it, as a sentence part. */
    static String problem(String path) {
        if (!path.startsWith("/")) return "must be an absolute path starting with '/'";
        if (path.length() > 1024) return "is longer than 1024 characters";
        if (!CHARS.matcher(path).matches()) {
            return "may only contain letters, digits and . _ @ + = - /";
        }
        if (path.equals("/")) return "cannot be '/', the container's root";
        if (path.contains("//") || path.endsWith("/") || path.contains("/./") || path.endsWith("/.")
                || path.contains("/../") || path.endsWith("/..")) {
            return "must be a clean path, without '.', '..', '//' or a trailing '/'";
        }
        for (String f : FORBIDDEN) {
            if (isSameOrBelow(path, f)) return "cannot be " + f + " or below it; the runtime manages " + f;
        }
        return null;
    }

    /** True when {@code path} is {@code other} or inside it; both are clean. */
    static boolean isSameOrBelow(String path, String other) {
        return path.equals(other) || path.startsWith(other + "/");
    }
}
