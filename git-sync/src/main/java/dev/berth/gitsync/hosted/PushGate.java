package dev.berth.gitsync.hosted;

import java.util.List;

/**
 * The platform's say over pushes to hosted repositories. {@link #review} runs once per push after
 * its pack arrived and before any ref moves; a refusal leaves the repository as it was and the
 * messages appear in the pusher's terminal as {@code remote:} lines.
 */
public interface PushGate {
    Verdict review(Push push);

    /**
     * Called after the refs moved; the lines returned are shown to the pusher. The refs stay moved
     * if this fails (or is never called, should the process die first): the gate must notice and
     * record them itself later, from what it kept before they moved.
     */
    List<String> accepted(Push push);

    /**
     * Called for ref changes git refused before the review because the ref moved between the
     * pusher's git reading it and its pack arriving (another push was first): they are reported
     * to the pusher as {@code fetch first}; the lines returned are shown too.
     */
    default List<String> outdated(Push push) {
        return List.of();
    }

    /** What the platform decided. */
    sealed interface Verdict {
        List<String> messages();

        record Accept(List<String> messages) implements Verdict {
        }

        /** @param reason a short reason git prints beside each refused ref */
        record Refuse(String reason, List<String> messages) implements Verdict {
        }
    }
}
