package dev.berth.agent.state;

import java.util.Set;
import java.util.function.IntPredicate;
import java.util.OptionalInt;

/**
 * The host ports an agent hands out to published ports that ask for none ({@code hostPort} 0),
 * {@code low} to {@code high} inclusive. Pure.
 */
public record PortRange(int low, int high) {
    public static final PortRange DEFAULT = new PortRange(20000, 29999);

    public PortRange {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("a port range must be LOW-HIGH with 1 <= LOW <= HIGH <= 65535, not " + low + "-" + high);
        }
    }

    /** Reads {@code LOW-HIGH}, such as {@code 20000-29999}. */
    public static PortRange parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("-", -1);
        if (parts.length != 2) throw new IllegalArgumentException("port range '" + text + "' must be LOW-HIGH, like 20000-29999");
        try {
            return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port range '" + text + "' must be LOW-HIGH, like 20000-29999");
        }
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /** The lowest port of the range that is not {@code taken} and that {@code usable} accepts. */
    public OptionalInt firstFree(Set<Integer> taken, IntPredicate usable) {
        for (int port = low; port <= high; port++) {
            if (!taken.contains(port) && usable.test(port)) return OptionalInt.of(port);
        }
        return OptionalInt.empty();
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
