package dev.berth.platform.deployments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Arrays;

/**
 * One change of an app's desired revision and how it went. The newest deployment of an app is the
 * one the reconciler drives toward.
 *
 * @param revision the revision it deploys (for {@link Kind#REMOVE}, the revision that no longer defines the app)
 * @param commit that revision's commit
 * @param createdBy the pusher's or rollback's user, {@code sync:TRIGGER} or {@code system}
 * @param reason why, for rollbacks
 * @param finishedAt null while {@link State#IN_PROGRESS}
 * @param message what it waits for, what failed or how it ended, for people; then any platform instance that
 *                stopped answering while it was in progress, and which took over
 */
public record Deployment(long id, String team, String app, long revision, String commit, Kind kind, State state,
                         String createdBy, String reason, Instant startedAt, Instant finishedAt, String message) {

    /** What started a deployment. */
    public enum Kind {
        /** A push or sync that changed the app. */
        PUSH("push"),
        /** A person asked for an earlier revision; it stays until a push changes the app. */
        ROLLBACK("rollback"),
        /** A rollout failed its health gate with {@code autoRollback} on; it stays until a push changes the app. */
        AUTO_ROLLBACK("auto-rollback"),
        /** The app's repository no longer defines it: its replicas stop. */
        REMOVE("remove");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        /** Rollbacks pin the app: only a push that changes it replaces them. */
        public boolean pins() {
            return this == ROLLBACK || this == AUTO_ROLLBACK;
        }

        static Kind of(String value) {
            return Arrays.stream(values()).filter(k -> k.value.equals(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown deployment kind " + value));
        }
    }

    /** How far a deployment got. */
    public enum State {
        IN_PROGRESS("in-progress"),
        /** Every replica of its revision runs healthy and nothing else of the app runs. */
        SUCCEEDED("succeeded"),
        /** Its health gate timed out; with {@code autoRollback}, an auto-rollback deployment follows. */
        FAILED("failed"),
        /** It had succeeded, and a person rolled the app back to an earlier revision. */
        ROLLED_BACK("rolled-back"),
        /** A newer deployment of the app replaced it before it finished. */
        SUPERSEDED("superseded");

        private final String value;

        State(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        static State of(String value) {
            return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown deployment state " + value));
        }
    }
}
