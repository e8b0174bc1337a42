package dev.berth.gitsync.hosted;

import dev.berth.gitsync.CommitId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** A push that has arrived, with its objects readable but no ref moved yet. */
public interface Push {
    RepositoryName repository();

    /** The authenticated user who pushes. */
    String pusher();

    List<RefChange> changes();

    /** The commit a change would move its ref to. */
    PushedCommit commit(CommitId id) throws IOException;

    /** The commit object's bytes as git stores them, for signature checks. */
    byte[] rawCommit(CommitId id) throws IOException;

    /**
     * A file's content at a commit, or empty when the commit has no such file.
     *
     * @throws IOException when the file is larger than {@code maxBytes} or cannot be read
     */
    Optional<byte[]> file(CommitId id, String path, int maxBytes) throws IOException;
}
