package dev.berth.platform.secrets;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.TeamLookup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Secrets of a team's apps. A value is sealed with the platform's key, bound to its team, app and
 * name, and never shown again: people list names, agents get values only for the containers that
 * reference them. Setting and deleting are audited without the value.
 */
@Service
public class AppSecrets {
    /** The largest value, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,254}");
    private static final Pattern APP = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final SecretStore store;
    private final TeamLookup teams;
    private final SecretBox box;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public AppSecrets(SecretStore store, TeamLookup teams, SecretBox box, AuditLog audit, TransactionTemplate tx,
                      Clock clock, ApplicationEventPublisher events) {
        this.store = store;
        this.teams = teams;
        this.box = box;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
    }

    /** A secret as people see it: its name and who set it when. */
    public record SecretView(String name, java.time.Instant updatedAt, String updatedBy) {
    }

    /** Sets (or replaces) a secret of an app; the app need not be deployed yet. */
    public SecretView set(Caller caller, String team, String app, String name, String value, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_SECRETS, team);
        checkApp(app);
        checkName(name);
        if (value == null) throw new Problem.Invalid("'value' is missing: send {\"value\": \"...\"}");
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw new Problem.Invalid("the value of secret " + name + " is " + bytes + " bytes; at most " + MAX_VALUE_BYTES);
        }
        if (value.indexOf('\0') >= 0) {
            throw new Problem.Invalid("the value of secret " + name + " contains a NUL character, which an environment variable cannot hold");
        }
        long teamId = teamId(team);
        var now = clock.instant();
        boolean created = tx.execute(s -> {
            boolean fresh = store.put(teamId, app, name, box.seal(value, context(teamId, app, name)), now, caller.username());
            events.publishEvent(new SecretChanged(teamId, team, app, name));
            return fresh;
        });
        audit.record(AuditEvent.of(caller, "secret.set", "secret:" + team + "/" + app + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("app", app).detail("name", name).detail("created", created));
        return new SecretView(name, now, caller.username());
    }

    /** The names of an app's secrets, with who set each when; never a value. */
    public List<SecretView> list(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_SECRETS, team);
        checkApp(app);
        return store.list(teamId(team), app).stream().map(e -> new SecretView(e.name(), e.updatedAt(), e.updatedBy())).toList();
    }

    public void delete(Caller caller, String team, String app, String name, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.MANAGE_SECRETS, team);
        checkApp(app);
        checkName(name);
        long teamId = teamId(team);
        boolean deleted = tx.execute(s -> {
            boolean gone = store.delete(teamId, app, name);
            if (gone) events.publishEvent(new SecretChanged(teamId, team, app, name));
            return gone;
        });
        if (!deleted) throw new Problem.NotFound("secret " + name + " is not set for " + team + "/" + app);
        audit.record(AuditEvent.of(caller, "secret.delete", "secret:" + team + "/" + app + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("app", app).detail("name", name));
    }

    /** Which of {@code names} are not set for the app, in name order. */
    public List<String> missing(long teamId, String app, Collection<String> names) {
        if (names.isEmpty()) return List.of();
        var set = store.names(teamId, app);
        return names.stream().filter(n -> !set.contains(n)).sorted().toList();
    }

    /**
     * The values of those of {@code names} that are set, for an agent's assignment. Never log them.
     */
    public Map<String, String> values(long teamId, String app, Collection<String> names) {
        if (names.isEmpty()) return Map.of();
        var sealed = store.sealed(teamId, app);
        var out = new TreeMap<String, String>();
        for (String name : names) {
            byte[] s = sealed.get(name);
            if (s != null) out.put(name, box.open(s, context(teamId, app, name)));
        }
        return out;
    }

    /** The one place that says how to set a missing secret, for messages. */
    public static String howToSet(String team, String app, String name) {
        return "set it with PUT /api/v1/teams/" + team + "/apps/" + app + "/secrets/" + name;
    }

    private static String context(long teamId, String app, String name) {
        return "app-secret:" + teamId + "/" + app + "/" + name;
    }

    private long teamId(String team) {
        return teams.idOf(team);
    }

    private static void checkApp(String app) {
        if (app == null || !APP.matcher(app).matches()) {
            throw new Problem.Invalid("app name '" + app + "' is not valid: lowercase letters, digits and '-' (not first or last), "
                    + "at most 63 characters");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Problem.Invalid("secret name '" + name + "' is not valid: like an environment variable, uppercase letters, "
                    + "digits and '_', not starting with a digit, at most 255 characters");
        }
    }
}
