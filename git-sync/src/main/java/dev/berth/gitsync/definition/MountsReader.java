package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.YamlNode.Mapping;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** An app's volumes and tmpfs mounts, which must not overlap one another. */
final class MountsReader {
    private static final String LIMIT = " (the maximum on this Berth)";

    private final Values v;
    private final DefinitionLimits limits;
    private final List<Mount> mounts = new ArrayList<>();

    private record Mount(String path, YamlNode.Pos pos, String what) {
    }

    MountsReader(Values values, DefinitionLimits limits) {
        this.v = values;
        this.limits = limits;
    }

    List<Volume> volumes(YamlNode node) {
        var out = new ArrayList<Volume>();
        var list = node == null ? null : v.list(node, "volumes");
        if (list == null) return out;
        if (list.items().size() > limits.maxVolumes()) {
            // Each volume is a disk image on every host the app runs on; refuse before reading any of them.
            v.problems.add(list.pos(), "volumes has " + list.items().size() + " entries; at most " + limits.maxVolumes()
                    + " volumes per app" + LIMIT);
            return out;
        }
        var names = new HashSet<String>();
        for (int i = 0; i < list.items().size(); i++) {
            String where = "volumes[" + i + "]";
            Mapping m = v.mapping(list.items().get(i), where);
            if (m == null) continue;
            v.onlyKnownKeys(m, List.of("name", "mount", "size"));
            for (String key : List.of("name", "mount", "size")) {
                if (m.get(key) == null) v.problems.add(m.pos(), where + " needs '" + key + "'");
            }
            String name = m.get("name") == null ? null : v.string(m.get("name"), where + ".name");
            if (name != null && !Names.isDnsLabel(name)) {
                v.problems.add(m.get("name").pos(), where + ".name '" + YamlReader.clip(name) + "' must be "
                        + Names.dnsLabelRule());
                name = null;
            } else if (name != null && !names.add(name)) {
                v.problems.add(m.get("name").pos(), "volume name '" + name + "' is used twice");
                name = null;
            }
            String mount = m.get("mount") == null ? null
                    : mount(m.get("mount"), where + ".mount", "volume '" + (name == null ? i : name) + "'");
            Long size = m.get("size") == null ? null
                    : v.size(m.get("size"), where + ".size", 1L << 20, limits.maxVolumeBytes(), LIMIT);
            if (name != null && mount != null && size != null) out.add(new Volume(name, mount, size));
        }
        return out;
    }

    List<Tmpfs> tmpfs(YamlNode node) {
        var out = new ArrayList<Tmpfs>();
        Mapping m = node == null ? null : v.mapping(node, "tmpfs");
        if (m == null) return out;
        for (var e : m.entries()) {
            String mount = mount(e.key(), "tmpfs mount", "tmpfs " + YamlReader.clip(e.key().text()));
            Long size = v.size(e.value(), "tmpfs " + YamlReader.clip(e.key().text()), 4L << 10, limits.maxTmpfsBytes(), LIMIT);
            if (mount != null && size != null) out.add(new Tmpfs(mount, size));
        }
        return out;
    }

    /** Reports each mount that is, or is inside, or contains, one given before it. */
    void noOverlaps() {
        var ordered = new ArrayList<>(mounts);
        ordered.sort((a, b) -> a.pos.line() != b.pos.line() ? Integer.compare(a.pos.line(), b.pos.line())
                : Integer.compare(a.pos.column(), b.pos.column()));
        for (int i = 1; i < ordered.size(); i++) {
            Mount later = ordered.get(i);
            for (Mount earlier : ordered.subList(0, i)) {
                String relation = later.path.equals(earlier.path) ? "is also used by"
                        : MountPaths.isSameOrBelow(later.path, earlier.path) ? "is inside"
                        : MountPaths.isSameOrBelow(earlier.path, later.path) ? "contains" : null;
                if (relation != null) {
                    v.problems.add(later.pos, later.what + " mount " + YamlReader.clip(later.path) + " " + relation + " "
                            + earlier.what + " (" + YamlReader.clip(earlier.path) + "); mounts may not overlap");
                    break;
                }
            }
        }
    }

    private String mount(YamlNode node, String what, String owner) {
        String path = v.string(node, what);
        if (path == null) return null;
        String wrong = MountPaths.problem(path);
        if (wrong != null) {
            v.problems.add(node.pos(), what + " " + YamlReader.clip(path) + " " + wrong);
            return null;
        }
        mounts.add(new Mount(path, node.pos(), owner));
        return path;
    }
}
