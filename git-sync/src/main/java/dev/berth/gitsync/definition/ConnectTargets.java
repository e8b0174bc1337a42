package dev.berth.gitsync.definition;

import dev.berth.gitsync.definition.Network.Connect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Connects to apps declared in the same file, checked once every app is read: the port named must
 * be one the target declares. A target not in the file may live in another repository of the
 * team, which only the platform knows, so it is not checked here.
 */
final class ConnectTargets {
    /** Port names per app of this file; null when some of them could not be read (already reported). */
    private final Map<String, SequencedSet<String>> portNames = new HashMap<>();
    private final List<Connect> connects = new ArrayList<>();

    void declare(String app, SequencedSet<String> names) {
        portNames.put(app, names);
    }

    void connect(List<Connect> appConnects) {
        connects.addAll(appConnects);
    }

    void check(Problems problems) {
        for (Connect c : connects) {
            if (!portNames.containsKey(c.app())) continue;
            SequencedSet<String> names = portNames.get(c.app());
            if (names == null || names.contains(c.port())) continue;
            problems.add(c.line(), c.column(), "app " + c.app() + " declares no port named " + c.port()
                    + (names.isEmpty() ? "; it declares no ports" : "; its ports are: " + String.join(", ", names)));
        }
    }
}
