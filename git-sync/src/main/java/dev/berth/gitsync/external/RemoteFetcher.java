package dev.berth.gitsync.external;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import dev.berth.gitsync.hosted.PushedCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Fetches one branch of a remote repository into a local bare mirror and reads its tip. The
 * mirror keeps earlier objects, so a fetch after a small change transfers only that change.
 */
public final class RemoteFetcher {
    private RemoteFetcher() {
    }

    /**
     * @param mirror a directory this fetcher owns (created on first use)
     * @param definitionPath the file to read at the tip, e.g. {@code berth.yaml}
     * @param limits the hosts an http(s) fetch may reach and the bytes it may bring
     * @throws IOException with the remote's own reason when the fetch or the read fails
     */
    public static FetchedCommit fetch(Path mirror, RemoteSource source, String definitionPath, int maxDefinitionBytes,
            FetchLimits limits) throws IOException {
        URIish uri;
        try {
            uri = new URIish(source.url());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(source + " is not a repository URL: " + e.getMessage(), e);
        }
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        boolean local = uri.getScheme() == null || "file".equals(uri.getScheme());
        // Other transports (git://, ssh://) would connect without the host check and the size limit.
        if (!http && !local) throw new IOException(source + ": only https and local paths can be fetched");
        try (Repository repo = open(mirror)) {
            String tracking = "refs/remotes/origin/" + source.branch();
            var fetch = Git.wrap(repo).fetch()
                    .setRemote(uri.toString())
                    .setTransportConfigCallback(transport -> {
                        if (transport instanceof TransportHttp t) t.setHttpConnectionFactory(new GuardedConnections(limits));
                    })
                    .setRefSpecs(new RefSpec("+refs/heads/" + source.branch() + ":" + tracking))
                    .setForceUpdate(true)
                    .setTimeout(60);
            if (source.secret() != null) {
                fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                        source.username() == null || source.username().isBlank() ? "git" : source.username(), source.secret()));
            }
            fetch.call();
            ObjectId tip = repo.resolve(tracking);
            if (tip == null) throw new IOException(source + ": the remote has no branch '" + source.branch() + "'");
            try (var walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(tip);
                var info = new PushedCommit(new CommitId(tip.name()), person(commit.getAuthorIdent()),
                        person(commit.getCommitterIdent()), commit.getFullMessage());
                return new FetchedCommit(info, commit.getRawBuffer().clone(), file(repo, commit, definitionPath, maxDefinitionBytes));
            }
        } catch (GitAPIException e) {
            // A refused host or an exceeded limit says so itself, whatever JGit wrapped it in.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof GuardedConnections.Refused) {
                    throw new IOException("fetching " + source + " failed: " + t.getMessage(), e);
                }
            }
            // JGit's message names the remote's answer (not found, not authorized, ...); the secret is never in it.
            throw new IOException("fetching " + source + " failed: " + e.getMessage(), e);
        }
    }

    private static Repository open(Path mirror) throws IOException {
        if (!Files.isDirectory(mirror.resolve("objects"))) {
            Files.createDirectories(mirror);
            try {
                Git.init().setBare(true).setDirectory(mirror.toFile()).call().close();
            } catch (GitAPIException e) {
                throw new IOException("cannot create mirror " + mirror + ": " + e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).build();
    }

    private static Optional<byte[]> file(Repository repo, RevCommit commit, String path, int maxBytes) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (walk == null || !walk.getFileMode(0).equals(FileMode.REGULAR_FILE)) return Optional.empty();
            var loader = repo.open(walk.getObjectId(0));
            if (loader.getSize() > maxBytes) throw new IOException(path + " is " + loader.getSize() + " bytes; the limit is " + maxBytes);
            return Optional.of(loader.getBytes(maxBytes));
        }
    }

    private static Person person(PersonIdent ident) {
        return new Person(ident.getName(), ident.getEmailAddress(), ident.getWhenAsInstant());
    }
}
