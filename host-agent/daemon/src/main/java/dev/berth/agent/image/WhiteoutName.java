package dev.berth.agent.image;

/**
 * What an entry's base name says in OCI changeset terms: an ordinary entry, a whiteout of one
 * sibling, an opaque marker for its directory, or aufs bookkeeping ({@code .wh..wh.*}) that an
 * image should not carry and that has no meaning here.
 */
sealed interface WhiteoutName {
    String PREFIX = ".wh.";
    String OPAQUE = ".wh..wh..opq";
    String META_PREFIX = ".wh..wh.";

    /** Not a whiteout: extract as is. */
    record Plain() implements WhiteoutName {
    }

    /** {@code DIR/.wh.NAME}: remove DIR/NAME from the lower layers. */
    record Remove(EntryPath target) implements WhiteoutName {
    }

    /** {@code DIR/.wh..wh..opq}: hide everything in DIR that the lower layers put there. */
    record Opaque(EntryPath dir) implements WhiteoutName {
    }

    /** Another {@code .wh..wh.} name (aufs hard-link and metadata files): skipped. */
    record Meta() implements WhiteoutName {
    }

    /**
     * Reads the base name of a cleaned entry path. Refuses whiteouts whose name could point at
     * anything other than one sibling ({@code .}, {@code ..}, empty, or containing a slash).
     */
    static WhiteoutName of(EntryPath path) throws LayerRejected {
        if (path.isRoot()) return new Plain();
        // aufs keeps hard-link sources under .wh..wh.plnk/; nothing there belongs in a rootfs.
        for (String c : path.components()) if (c.startsWith(META_PREFIX) && !c.equals(OPAQUE)) return new Meta();
        String base = path.name();
        if (!base.startsWith(PREFIX)) return new Plain();
        if (base.equals(OPAQUE)) return new Opaque(path.parent());
        String victim = base.substring(PREFIX.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..") || victim.contains("/")) {
            throw new LayerRejected(path.toString(), "whiteout names no single sibling ('" + victim + "')");
        }
        return new Remove(path.parent().child(victim));
    }
}
