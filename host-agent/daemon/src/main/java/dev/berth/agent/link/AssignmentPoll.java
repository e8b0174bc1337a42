package dev.berth.agent.link;

import dev.berth.agent.protocol.Assignment;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import tools.jackson.core.JacksonException;

/**
 * Long-polls the platform for this host's assignment ({@code GET /agent/v1/assignments?after=N&wait=S})
 * with {@code after} the last generation applied, starting at -1 (answered at once with the current
 * set), and hands each new one to the agent, then asks for a heartbeat so the platform sees the
 * result soon. Reconnects with backoff while the platform is unreachable or refuses the credential.
 */
final class AssignmentPoll implements Runnable {
    private final PlatformCalls calls;
    private final PlatformLink.Agent agent;
    private final String hostId;
    private final int waitSeconds;
    private final Duration firstRetry;
    private final Runnable applied;
    private final LinkState state;
    private long after = -1;
    private int failures;

    AssignmentPoll(PlatformCalls calls, PlatformLink.Agent agent, String hostId, int waitSeconds, Duration firstRetry,
                   Runnable applied, PrintStream log) {
        this.calls = calls;
        this.agent = agent;
        this.hostId = hostId;
        this.waitSeconds = waitSeconds;
        this.firstRetry = firstRetry;
        this.applied = applied;
        this.state = new LinkState(log);
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                URI target = calls.platform();
                if (poll(target)) {
                    failures = 0;
                } else {
                    failures++;
                    Thread.sleep(calls.retryAfter(target, LinkParts.nextDelay(firstRetry, failures)).toMillis());
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One request; false when it failed and the next one should wait. */
    private boolean poll(URI target) throws InterruptedException {
        String why;
        try {
            var response = calls.assignments(target, after, waitSeconds);
            int status = response.statusCode();
            if (status == 204) {
                state.is("up " + target, "receiving assignments from " + target);
                return true;
            }
            if (status == 200) return take(target, response.body());
            why = "HTTP " + status + PlatformCalls.detail(response.body());
            if (status == 401 || status == 403) {
                state.is("refused", "the platform refused this host's credential for assignments (" + why
                        + "); retrying with backoff");
                return false;
            }
        } catch (IOException | RuntimeException e) {
            why = PlatformCalls.describe(e);
        }
        state.is("failing", "assignments from " + target + " fail (" + why + "); retrying with backoff");
        return false;
    }

    private boolean take(URI target, String body) {
        Assignment assignment;
        try {
            assignment = PlatformCalls.JSON.readValue(body, Assignment.class);
        } catch (JacksonException e) {
            state.is("unreadable", "the platform's assignment cannot be read (" + e.getOriginalMessage() + "); retrying with backoff");
            return false;
        }
        if (assignment.version() != Assignment.VERSION || !hostId.equals(assignment.hostId())) {
            state.is("foreign", "the platform sent an assignment of version " + assignment.version() + " for host "
                    + assignment.hostId() + "; this agent reads version " + Assignment.VERSION + " for host " + hostId
                    + "; retrying with backoff");
            return false;
        }
        try {
            agent.apply(assignment);
        } catch (IOException | RuntimeException e) {
            state.is("apply-failed", "cannot apply assignment " + assignment.generation() + " ("
                    + PlatformCalls.describe(e) + "); retrying with backoff");
            return false;
        }
        state.is("up " + target, "receiving assignments from " + target);
        after = assignment.generation();
        applied.run();
        return true;
    }

    /** The generation last applied; -1 before the first. */
    long applied() {
        return after;
    }
}
