package dev.berth.platform.deployments;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Definition;
import dev.berth.platform.repositories.DefinitionJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Apps as recorded revisions define them. Revisions never change, so what was read once is kept
 * (the most recently used few thousand, and never fewer than twice what one batch asked for): the
 * reconciler asks for the same ones every second, one for every app, and a cache smaller than that
 * would miss every one of them every round.
 */
@Component
public class AppRevisions {
    private static final int CACHED = 4096;
    /** Grows with the largest batch read, so a round's apps stay cached however many there are. */
    private int capacity = CACHED;
    private static final String SELECT = """
            SELECT v.id, a.app, v.commit_id, v.definition::text AS definition, a.team_id, a.image_digest
            FROM revisions v JOIN revision_apps a ON a.revision_id = v.id""";
    private final JdbcClient jdbc;
    private final Map<Key, AppRevision> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, AppRevision> eldest) {
            return size() > capacity;
        }
    };

    public AppRevisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One app of one revision. */
    public record Key(long revision, String app) {
    }

    /**
     * What a batch read found.
     *
     * @param found the apps the revisions define, by key
     * @param unreadable why each app whose stored definition cannot be read cannot be; keys that no
     *                   revision defines are in neither map
     */
    public record Lookup(Map<Key, AppRevision> found, Map<Key, String> unreadable) {
    }

    /** {@code app} as revision {@code revision} defines it; empty when it does not. */
    public Optional<AppRevision> find(long revision, String app) {
        var key = new Key(revision, app);
        var hit = cached(key);
        if (hit != null) return Optional.of(hit);
        var found = jdbc.sql(SELECT + " WHERE v.id = ? AND a.app = ?").params(revision, app)
                .query((rs, n) -> read(rs, new HashMap<>())).optional();
        found.ifPresent(f -> remember(key, f));
        return found;
    }

    /** The apps of {@code keys}, in one query for those not read before (none when all were). */
    public Lookup findAll(Collection<Key> keys) {
        var found = new HashMap<Key, AppRevision>();
        var unreadable = new HashMap<Key, String>();
        var missed = new LinkedHashSet<Key>();
        synchronized (cache) {
            capacity = Math.max(capacity, 2 * keys.size());
        }
        for (var key : keys) {
            var hit = cached(key);
            if (hit != null) found.put(key, hit);
            else missed.add(key);
        }
        if (missed.isEmpty()) return new Lookup(found, unreadable);
        // A revision's definition is parsed once for all its apps in the batch, not once per app.
        var definitions = new HashMap<Long, Definition>();
        jdbc.sql(SELECT + " JOIN unnest(?::bigint[], ?::text[]) AS k(revision_id, app) ON k.revision_id = v.id AND k.app = a.app")
                .params(missed.stream().map(Key::revision).toArray(Long[]::new), missed.stream().map(Key::app).toArray(String[]::new))
                .query(rs -> {
                    var key = new Key(rs.getLong("id"), rs.getString("app"));
                    try {
                        var app = read(rs, definitions);
                        remember(key, app);
                        found.put(key, app);
                    } catch (RuntimeException e) {
                        unreadable.put(key, e.getMessage());
                    }
                });
        return new Lookup(found, unreadable);
    }

    private AppRevision cached(Key key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private void remember(Key key, AppRevision app) {
        synchronized (cache) {
            cache.put(key, app);
        }
    }

    private static AppRevision read(ResultSet rs, Map<Long, Definition> parsed) throws SQLException {
        long revision = rs.getLong("id");
        String app = rs.getString("app");
        Definition definition = parsed.get(revision);
        if (definition == null) {
            definition = DefinitionJson.read(rs.getString("definition"));
            parsed.put(revision, definition);
        }
        AppDefinition def = definition.apps().stream().filter(a -> a.name().equals(app)).findFirst()
                .orElseThrow(() -> new IllegalStateException("revision " + revision + " pins an image for app '" + app
                        + "' but its definition has no such app"));
        return new AppRevision(revision, rs.getString("commit_id"), rs.getLong("team_id"), def, rs.getString("image_digest"));
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
