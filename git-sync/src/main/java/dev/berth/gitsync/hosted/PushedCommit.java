package dev.berth.gitsync.hosted;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;

/** The commit a ref would point at after a push, as its object states it. */
public record PushedCommit(CommitId id, Person author, Person committer, String message) {
    /** The first line of the message. */
    public String subject() {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
