package dev.berth.gitsync.definition;

import java.util.regex.Pattern;

/** The name syntaxes berth.yaml uses. */
final class Names {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern SECRET = Pattern.compile("[A-Z_][A-Z0-9_]{0,254}");

    private Names() {
    }

    /** RFC 1123 label: lowercase letters, digits and '-', not at either end, at most 63. */
    static boolean isDnsLabel(String s) {
        return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
    }

    static String dnsLabelRule() {
        return "lowercase letters, digits and '-' (not first or last), at most 63 characters";
    }

    static boolean isEnvName(String s) {
        return s.length() <= 255 && ENV.matcher(s).matches();
    }

    static boolean isSecretName(String s) {
        return s.length() <= 255 && SECRET.matcher(s).matches();
    }
}
