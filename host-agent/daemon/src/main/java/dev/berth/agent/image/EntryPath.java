package dev.berth.agent.image;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name cleaned to components relative to the layer root. A leading {@code /} means the
 * root (as Docker reads it); {@code .} and empty components vanish; {@code ..} pops, and a name
 * whose {@code ..} would climb above the root is refused rather than clamped, because such an
 * entry can only come from a hostile or broken archiver.
 */
record EntryPath(List<String> components) {
    static final EntryPath ROOT = new EntryPath(List.of());

    EntryPath {
        components = List.copyOf(components);
    }

    /** Cleans a name from the archive; throws if it escapes the root or cannot be a file name. */
    static EntryPath clean(String name) throws LayerRejected {
        if (name == null) throw new LayerRejected("(null)", "entry has no name");
        if (name.indexOf('\0') >= 0) throw new LayerRejected(name.replace('\0', '?'), "name contains a NUL byte");
        var out = new ArrayList<String>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (out.isEmpty()) throw new LayerRejected(name, "path escapes the layer root");
                out.removeLast();
                continue;
            }
            out.add(c);
        }
        return new EntryPath(out);
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    String name() {
        return components.getLast();
    }

    EntryPath parent() {
        return new EntryPath(components.subList(0, components.size() - 1));
    }

    EntryPath child(String name) {
        var c = new ArrayList<>(components);
        c.add(name);
        return new EntryPath(c);
    }

    @Override
    public String toString() {
        return String.join("/", components);
    }
}
