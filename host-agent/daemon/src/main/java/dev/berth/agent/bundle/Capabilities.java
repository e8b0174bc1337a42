package dev.berth.agent.bundle;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The capability rules of the container profile: one default, a short allow-list of additions. */
public final class Capabilities {
    public static final Set<String> DEFAULT = Set.of("CAP_NET_BIND_SERVICE");
    public static final Set<String> ADDABLE = Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_SYS_CHROOT");

    private Capabilities() {
    }

    /** {@code NET_ADMIN}, {@code net_admin} and {@code CAP_NET_ADMIN} all name the same capability. */
    public static String canonical(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }

    /** The granted set for the requested additions; refuses anything off the allow-list, naming it. */
    public static Set<String> grant(List<String> requested) {
        var granted = new LinkedHashSet<>(DEFAULT);
        var refused = new TreeSet<String>();
        for (String r : requested) {
            String cap = canonical(r);
            if (DEFAULT.contains(cap) || ADDABLE.contains(cap)) granted.add(cap);
            else refused.add(cap);
        }
        if (!refused.isEmpty()) {
            throw new BundleRejected(List.of(new BundleRejected.Violation("capabilities",
                    "capability " + String.join(", ", refused) + " is not allowed; an app may add only "
                            + String.join(", ", new TreeSet<>(ADDABLE)))));
        }
        return Set.copyOf(granted);
    }
}
