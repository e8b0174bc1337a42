package dev.berth.platform.repositories;

/** An external repository's fetch started or ended on this instance; its sync state changed. */
public record RepositorySynced(String team, String repository) {
}
