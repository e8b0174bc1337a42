package dev.berth.platform.sso;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A Berth username made from what the provider says of a person ({@code preferred_username},
 * an e-mail address, the subject), shaped to Berth's rule: 1-63 lowercase letters, digits, '.',
 * '_' or '-', starting with a letter. The name only labels the account; the link to the person
 * is the issuer and subject, so a clash just takes the next free {@code name-2}, {@code name-3}...
 */
final class Usernames {
    static final int MAX = 63;

    private Usernames() {
    }

    /** The base name, always valid. */
    static String base(String claimed) {
        String s = claimed == null ? "" : claimed.trim();
        int at = s.indexOf('@');
        if (at > 0) s = s.substring(0, at);
        s = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        s = s.replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z]+", "").replaceAll("[-._]+$", "");
        if (s.isEmpty() || s.equals("me")) s = "user" + (s.isEmpty() ? "" : "-" + s);
        return s.length() > MAX ? s.substring(0, MAX) : s;
    }

    /** The {@code n}th candidate (1 is the base itself), cut so the suffix fits. */
    static String candidate(String base, int n) {
        if (n == 1) return base;
        String suffix = "-" + n;
        return (base.length() + suffix.length() > MAX ? base.substring(0, MAX - suffix.length()) : base) + suffix;
    }
}
