package dev.berth.gitsync.external;

import dev.berth.gitsync.hosted.PushedCommit;
import java.util.Optional;

/**
 * The tip of a followed branch after a fetch.
 *
 * @param raw the commit object as git stores it, for signature checks
 * @param definition the definition file's content at that commit, if it has one
 */
public record FetchedCommit(PushedCommit commit, byte[] raw, Optional<byte[]> definition) {
}
