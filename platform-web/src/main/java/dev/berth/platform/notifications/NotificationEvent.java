package dev.berth.platform.notifications;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.platform.problem.Problem;
import java.util.Arrays;

/** What an endpoint may be told of; the wire names go into payloads and the {@code X-Berth-Event} header. */
public enum NotificationEvent {
    DEPLOYMENT_STARTED("deployment.started"),
    DEPLOYMENT_SUCCEEDED("deployment.succeeded"),
    DEPLOYMENT_FAILED("deployment.failed"),
    /** A rollback a person asked for, or an automatic one after a failed health gate. */
    DEPLOYMENT_ROLLED_BACK("deployment.rolled-back"),
    /** A host stopped sending heartbeats; told to each team with replicas on it. */
    HOST_LOST("host.lost"),
    /** A replica restarted 3 times within 10 minutes; told once per episode (see {@code deployments.CrashLoop}). */
    REPLICA_CRASH_LOOPING("replica.crash-looping"),
    /**
     * A domain's certificate orders failed 3 times in a row, or once while its certificate expires
     * within 7 days; told once per failure episode to the teams whose apps route the domain.
     */
    CERTIFICATE_FAILING("certificate.failing");

    private final String value;

    NotificationEvent(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** @throws Problem.Invalid naming {@code where} and the names there are */
    public static NotificationEvent parse(String text, String where) {
        for (var e : values()) if (e.value.equals(text)) return e;
        throw new Problem.Invalid(where + ": unknown event '" + text + "'; use one of "
                + String.join(", ", Arrays.stream(values()).map(NotificationEvent::value).toList()));
    }
}
