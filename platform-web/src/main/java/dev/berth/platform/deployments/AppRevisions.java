package dev.berth.platform.deployments;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.platform.repositories.DefinitionJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Apps as recorded revisions define them. Revisions never change, so what was read once is kept
 * (the most recently used few thousand): the reconciler asks for the same ones every second.
 */
@Component
public class AppRevisions {
    private static final int CACHED = 4096;
    private final JdbcClient jdbc;
    private final Map<String, AppRevision> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AppRevision> eldest) {
            return size() > CACHED;
        }
    };

    public AppRevisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code app} as revision {@code revision} defines it; empty when it does not. */
    public Optional<AppRevision> find(long revision, String app) {
        String key = revision + "/" + app;
        synchronized (cache) {
            var hit = cache.get(key);
            if (hit != null) return Optional.of(hit);
        }
        var found = jdbc.sql("""
                        SELECT v.commit_id, v.definition::text, a.team_id, a.image_digest
                        FROM revisions v JOIN revision_apps a ON a.revision_id = v.id
                        WHERE v.id = ? AND a.app = ?""")
                .params(revision, app)
                .query((rs, n) -> {
                    Definition definition = DefinitionJson.read(rs.getString(2));
                    AppDefinition def = definition.apps().stream().filter(a -> a.name().equals(app)).findFirst()
                            .orElseThrow(() -> new IllegalStateException("revision " + revision + " pins an image for app '" + app
                                    + "' but its definition has no such app"));
                    return new AppRevision(revision, rs.getString(1), rs.getLong(3), def, rs.getString(4));
                }).optional();
        found.ifPresent(f -> {
            synchronized (cache) {
                cache.put(key, f);
            }
        });
        return found;
    }

    /** Every app revision {@code revision} defines, by name, in file order. */
    public Map<String, AppRevision> all(long revision) {
        var names = jdbc.sql("SELECT app FROM revision_apps WHERE revision_id = ? ORDER BY app").param(revision)
                .query(String.class).list();
        var out = new LinkedHashMap<String, AppRevision>();
        for (String name : names) find(revision, name).ifPresent(a -> out.put(name, a));
        return out;
    }
}
