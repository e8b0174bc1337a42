package dev.berth.agent.image;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a path inside a root as if the root were {@code /}, one component at a time (like
 * securejoin or containerd's fs.RootPath): symlinks met on the way are expanded with absolute
 * targets starting again at the root and {@code ..} stopping at the root, so the answer always
 * names something inside the root. The tree is read through {@link Tree} so the logic is pure.
 */
final class RootedPath {
    /** Linux's own limit on symlinks followed in one lookup. */
    static final int MAX_LINKS = 40;

    /** What a path inside the root is, as lstat sees it. */
    enum Kind { MISSING, DIRECTORY, SYMLINK, FILE, OTHER }

    /** Read access to the tree under the root; paths are components relative to it. */
    interface Tree {
        Kind kind(List<String> path) throws IOException;

        String readLink(List<String> path) throws IOException;
    }

    /** Where a path resolved to, and what is there ({@link Kind#SYMLINK} only for an unfollowed final). */
    record Resolution(List<String> path, Kind kind) {
        String joined() {
            return String.join("/", path);
        }
    }

    private RootedPath() {
    }

    /**
     * Resolves {@code components} under the root. With {@code followFinal} false the last
     * component is looked at but never followed, which is how every entry is written. Refuses a
     * symlink loop and a non-directory used as a directory.
     */
    static Resolution resolve(Tree tree, List<String> components, boolean followFinal) throws IOException {
        var remaining = new ArrayDeque<String>(components);
        var current = new ArrayList<String>();
        var kinds = new ArrayList<Kind>();
        int links = 0;
        while (!remaining.isEmpty()) {
            String c = remaining.pollFirst();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                // Clamp at the root: /.. is / here as in the kernel.
                if (!current.isEmpty()) {
                    current.removeLast();
                    kinds.removeLast();
                }
                continue;
            }
            current.add(c);
            boolean last = remaining.isEmpty();
            Kind k = tree.kind(current);
            if (k == Kind.SYMLINK && (!last || followFinal)) {
                if (++links > MAX_LINKS) {
                    throw new LayerRejected(String.join("/", components), "too many levels of symbolic links");
                }
                String target = tree.readLink(current);
                current.removeLast();
                if (target.startsWith("/")) {
                    current.clear();
                    kinds.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) remaining.addFirst(parts[i]);
                continue;
            }
            if (!last && (k == Kind.FILE || k == Kind.OTHER)) {
                throw new LayerRejected(String.join("/", components), String.join("/", current) + " is not a directory");
            }
            kinds.add(k);
        }
        return new Resolution(List.copyOf(current), kinds.isEmpty() ? Kind.DIRECTORY : kinds.getLast());
    }
}
