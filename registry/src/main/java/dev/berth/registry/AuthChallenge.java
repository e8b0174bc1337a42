package dev.berth.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a registry's {@code WWW-Authenticate} header asks for. */
sealed interface AuthChallenge {

    /** HTTP Basic: send the configured credentials for the registry. */
    record Basic(String realm) implements AuthChallenge {
    }

    /**
     * Docker token auth: get a token from {@code realm} for {@code service} and {@code scope}.
     *
     * @param service may be null
     * @param scope   may be null
     */
    record Bearer(String realm, String service, String scope) implements AuthChallenge {
    }

    /**
     * Parses the first challenge of a {@code WWW-Authenticate} value. Parameter names are
     * case-insensitive, values may be quoted (with backslash escapes and commas inside quotes).
     *
     * @throws IllegalArgumentException for a missing header, an unsupported scheme or a Bearer
     *                                  challenge without realm
     */
    static AuthChallenge parse(String header) {
        if (header == null || header.isBlank()) throw new IllegalArgumentException("no WWW-Authenticate challenge");
        String s = header.strip();
        int space = s.indexOf(' ');
        String scheme = (space < 0 ? s : s.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = params(space < 0 ? "" : s.substring(space + 1));
        return switch (scheme) {
            case "basic" -> new Basic(params.get("realm"));
            case "bearer" -> {
                String realm = params.get("realm");
                if (realm == null || realm.isEmpty()) throw new IllegalArgumentException("Bearer challenge without realm");
                yield new Bearer(realm, params.get("service"), params.get("scope"));
            }
            default -> throw new IllegalArgumentException("unsupported authentication scheme '" + scheme + "'");
        };
    }

    // auth-param list: name=token or name="quoted string", separated by commas. Parsing stops at a
    // following challenge (a token not followed by '=').
    private static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',' && s.charAt(i) != ' ') i++;
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && s.charAt(i) == ' ') i++;
            if (i >= n || s.charAt(i) != '=') {
                if (name.isEmpty()) continue;
                break; // next challenge's scheme
            }
            i++;
            while (i < n && s.charAt(i) == ' ') i++;
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) i++;
                    value.append(s.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') value.append(s.charAt(i++));
            }
            if (!name.isEmpty()) out.putIfAbsent(name, value.toString());
        }
        return out;
    }
}
