package dev.berth.platform.repositories;

import java.time.Instant;
import java.util.List;

/** A recorded, validated push to a deploy branch, with every image pinned by digest. */
public record Revision(long id, String team, String repository, String commit, String branch, String author,
                       String committer, String subject, String pushedBy, String signature, Instant createdAt,
                       List<PinnedImage> images) {
    /** One app's image as written and the digest it was pinned to. */
    public record PinnedImage(String app, String image, String digest) {
    }
}
