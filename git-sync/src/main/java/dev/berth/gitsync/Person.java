package dev.berth.gitsync;

import java.time.Instant;

/** A commit's author or committer, as the commit states it (not verified). */
public record Person(String name, String email, Instant when) {
    @Override
    public String toString() {
        return name + " <" + email + ">";
    }
}
