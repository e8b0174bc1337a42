package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's recent restarts, as the platform follows them to tell a crash loop once per episode.
 * Pure. The agent reports how often it restarted a container after a failure, a count that only
 * grows while the container lives; each rise is noted at the heartbeat that shows it. A replica
 * restarted {@value #RESTARTS} times within {@link #WINDOW} crash-loops: the episode is told when it
 * starts, and ends once a whole window passes without a restart, so the next loop is told again.
 *
 * @param restarts the count the agent reported last
 * @param recent   when the latest restarts were noticed (at most {@value #RESTARTS}, oldest first, none older than a window)
 * @param toldAt   when this episode was told; null while none runs
 * @param lastExit why the container last stopped, as {@link #exitReason} put it; null while unknown. Kept,
 *                 since a restarted container reports only that it runs
 */
record CrashLoop(int restarts, List<Instant> recent, Instant toldAt, String lastExit) {
    static final int RESTARTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    CrashLoop {
        recent = List.copyOf(recent);
    }

    /** A replica not known to have restarted. */
    static CrashLoop none() {
        return new CrashLoop(0, List.of(), null, null);
    }

    /**
     * What follows a report: the new state; whether an episode starts with it (to be told now); and
     * whether the episode told before ended (a whole window without a restart), so its mark is cleared.
     */
    record Step(CrashLoop next, boolean tell, boolean ended) {
    }

    /**
     * @param reported the restarts in the latest heartbeat; below the last count when the agent
     *                 started counting anew (it restarted itself), which counts as no restart
     * @param exit     why it stopped, when the heartbeat says ({@link #exitReason}); null when it does not
     */
    Step after(int reported, String exit, Instant at) {
        // As the database keeps it, so a state read back equals the one written.
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        var times = new ArrayList<Instant>();
        Instant oldest = now.minus(WINDOW);
        for (Instant t : recent) if (t.isAfter(oldest)) times.add(t);
        // A window without a restart ended the episode, whether or not a heartbeat was weighed meanwhile.
        boolean ended = toldAt != null && times.isEmpty();
        Instant told = ended ? null : toldAt;
        int rose = Math.min(Math.max(reported - restarts, 0), RESTARTS);
        for (int i = 0; i < rose; i++) times.add(now);
        while (times.size() > RESTARTS) times.removeFirst();
        boolean tell = times.size() >= RESTARTS && told == null;
        return new Step(new CrashLoop(reported, times, tell ? now : told, exit != null ? exit : lastExit), tell, ended);
    }

    /** Why the container stopped, in words, when the agent's report says; null when it does not (it runs). */
    static String exitReason(ContainerStatus status) {
        if (status.oomKilled()) return "killed for running out of memory (over its memory limit)";
        if (status.error() != null) return status.error();
        if (status.exitCode() != null) return "exited with code " + status.exitCode();
        return null;
    }
}
