package dev.berth.platform.repositories;

import java.time.Instant;

/** A repository a team deploys from, as the API and dashboard show it. */
public record Repository(long id, String team, String name, String kind, String deployBranch, String definitionPath,
                         Instant createdAt, String createdBy, String cloneUrl) {
}
