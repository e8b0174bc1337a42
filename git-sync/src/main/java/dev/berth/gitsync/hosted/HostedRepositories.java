package dev.berth.gitsync.hosted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.berth.gitsync.CommitId;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Bare repositories on disk, one per {@link RepositoryName}, under {@code ROOT/TEAM/NAME.git}. */
public final class HostedRepositories {
    private final Path root;

    public HostedRepositories(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path path(RepositoryName name) {
        return root.resolve(name.team()).resolve(name.name() + ".git");
    }

    public boolean exists(RepositoryName name) {
        return Files.isRegularFile(path(name).resolve("HEAD"));
    }

    /**
     * Creates an empty bare repository whose HEAD names {@code branch}.
     *
     * @throws java.nio.file.FileAlreadyExistsException when anything is at its path already, a whole
     *         repository or a partial one: it is never initialised over, nor removed
     */
    public void create(RepositoryName name, String branch) throws IOException {
        Path dir = path(name);
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(root.relativize(dir).toString(), null,
                    "repository " + name + " already exists on disk");
        }
        Files.createDirectories(dir.getParent());
        try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
            var config = git.getRepository().getConfig();
            config.setBoolean("core", null, "logAllRefUpdates", true);
            config.save();
        } catch (GitAPIException e) {
            throw new IOException("cannot create repository " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where {@code ref} points on disk now, read afresh from a repository opened for this question:
     * another platform instance sharing the directory may have moved it a moment ago.
     *
     * @return empty when the ref does not exist
     */
    public Optional<CommitId> ref(RepositoryName name, String ref) throws IOException {
        try (var repo = new FileRepositoryBuilder().setGitDir(path(name).toFile()).setMustExist(true).build()) {
            var found = repo.getRefDatabase().exactRef(ref);
            if (found == null || found.getObjectId() == null) return Optional.empty();
            return Optional.of(new CommitId(found.getObjectId().name()));
        }
    }

    /** Removes the repository from disk. */
    public void delete(RepositoryName name) throws IOException {
        Path dir = path(name);
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
