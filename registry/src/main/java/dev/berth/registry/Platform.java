package dev.berth.registry;

import java.util.Locale;
import java.util.Objects;

/**
 * An image platform in OCI terms (Go names: {@code linux}, {@code amd64}, {@code arm64}, ...).
 *
 * @param variant CPU variant such as {@code v7}, or null for "any"
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        if (variant != null && variant.isEmpty()) variant = null;
    }

    /** Linux on this JVM's CPU architecture, named as Go names it. */
    public static Platform host() {
        return new Platform("linux", goArchitecture(System.getProperty("os.arch")), null);
    }

    /** Maps a Java {@code os.arch} value to Go's GOARCH name. */
    static String goArchitecture(String javaArch) {
        String arch = javaArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
    }

    /**
     * Whether an image built for {@code candidate} runs as this platform asks. A null variant here
     * accepts any; arm64 images without a variant count as {@code v8}.
     */
    public boolean matches(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) return false;
        if (variant == null) return true;
        String theirs = candidate.variant;
        if (theirs == null && architecture.equals("arm64")) theirs = "v8";
        return variant.equals(theirs);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
