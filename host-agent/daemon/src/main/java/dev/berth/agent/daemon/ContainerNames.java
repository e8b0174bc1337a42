package dev.berth.agent.daemon;

import java.util.regex.Pattern;

/** What a container, app or volume may be called: names that are also safe file and cgroup names. */
final class ContainerNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");

    private ContainerNames() {
    }

    /** 1-63 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit. Pure. */
    static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
