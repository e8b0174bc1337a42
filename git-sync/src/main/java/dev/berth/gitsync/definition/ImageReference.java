package dev.berth.gitsync.definition;

import java.util.regex.Pattern;

/**
 * Syntax of an image reference, {@code [host[:port]/]path[:tag][@sha256:hex]}, after the
 * distribution reference grammar. Kept here because git-sync must not depend on the registry
 * module; it only checks the text, it resolves nothing.
 */
final class ImageReference {
    private static final int MAX_LENGTH = 512;
    private static final int MAX_NAME = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private ImageReference() {
    }

    /** Null when the reference is well formed, otherwise what is wrong with it, as a sentence part. */
    static String problem(String ref) {
        if (ref.isEmpty()) return "is empty";
        if (ref.length() > MAX_LENGTH) return "is longer than " + MAX_LENGTH + " characters";
        String rest = ref;
        int at = rest.indexOf('@');
        if (at >= 0) {
            if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
                return "has a digest that is not 'sha256:' followed by 64 lowercase hex digits";
            }
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
                return "has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')";
            }
            rest = rest.substring(0, colon);
        }
        if (rest.length() > MAX_NAME) return "has a name longer than " + MAX_NAME + " characters";
        String[] parts = rest.split("/", -1);
        int first = 0;
        if (parts.length > 1 && (parts[0].contains(".") || parts[0].contains(":") || parts[0].equals("localhost"))) {
            if (!HOST.matcher(parts[0]).matches()) return "has an invalid registry host '" + YamlReader.clip(parts[0]) + "'";
            first = 1;
        }
        for (int i = first; i < parts.length; i++) {
            String c = parts[i];
            if (c.isEmpty()) return "has an empty path component";
            if (!COMPONENT.matcher(c).matches()) {
                return c.chars().anyMatch(Character::isUpperCase)
                        ? "has a path component '" + YamlReader.clip(c) + "' that is not lowercase"
                        : "has an invalid path component '" + YamlReader.clip(c)
                                + "' (lowercase letters and digits, separated by '.', '_', '__' or '-')";
            }
        }
        return null;
    }
}
