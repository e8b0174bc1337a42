package dev.berth.platform.audit;

import dev.berth.platform.access.Caller;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One security-relevant action, before it is chained. {@code time} is truncated to microseconds,
 * the precision PostgreSQL keeps, so the hash computed on append is the hash recomputed on verify.
 */
public record AuditEvent(
        Instant time,
        Actor actor,
        String action,
        String target,
        String team,
        String sourceAddress,
        String userAgent,
        Outcome outcome,
        SortedMap<String, String> details) {

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        time = time.truncatedTo(ChronoUnit.MICROS);
        details = details == null ? new TreeMap<>() : new TreeMap<>(details);
    }

    /** Who acted. */
    public record Actor(ActorType type, String name) {
        public Actor {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
        }

        public static Actor system() {
            return new Actor(ActorType.SYSTEM, "system");
        }

        public static Actor user(String username) {
            return new Actor(ActorType.USER, username);
        }

        /** A request's caller: its user, or the user's token when it came with one. */
        public static Actor of(Caller caller) {
            return caller.token().map(t -> new Actor(ActorType.TOKEN, caller.username() + "/" + t.publicId()))
                    .orElseGet(() -> user(caller.username()));
        }

        @Override
        public String toString() {
            return type.name().toLowerCase() + ":" + name;
        }
    }

    public enum ActorType { USER, TOKEN, AGENT, SYSTEM, ANONYMOUS }

    public enum Outcome { SUCCESS, FAILURE, DENIED }

    public static Builder of(Actor actor, String action, String target) {
        return new Builder(actor, action, target);
    }

    public static Builder of(Caller caller, String action, String target) {
        return of(Actor.of(caller), action, target);
    }

    /** Fluent construction so call sites name only what they know. */
    public static final class Builder {
        private final Actor actor;
        private final String action;
        private final String target;
        private String team;
        private String sourceAddress;
        private String userAgent;
        private Outcome outcome = Outcome.SUCCESS;
        private final TreeMap<String, String> details = new TreeMap<>();

        private Builder(Actor actor, String action, String target) {
            this.actor = actor;
            this.action = action;
            this.target = target;
        }

        public Builder team(String team) { this.team = team; return this; }
        public Builder source(String address, String agent) { this.sourceAddress = address; this.userAgent = agent; return this; }
        public Builder outcome(Outcome outcome) { this.outcome = outcome; return this; }
        public Builder detail(String key, Object value) {
            if (value != null) details.put(key, String.valueOf(value));
            return this;
        }
        public Builder details(Map<String, String> more) { details.putAll(more); return this; }

        public AuditEvent at(Instant time) {
            return new AuditEvent(time, actor, action, target, team, sourceAddress, userAgent, outcome, details);
        }
    }
}
