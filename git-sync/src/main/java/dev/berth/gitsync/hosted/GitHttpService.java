package dev.berth.gitsync.hosted;

import dev.berth.gitsync.CommitId;
import dev.berth.gitsync.Person;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Serves hosted repositories over git's smart HTTP protocol. Authentication and the decision who
 * may fetch or push happen in front of this servlet (the platform's security filters), from the
 * same {@link GitRoute} this servlet serves by: a repository is opened only for the route's
 * repository, and receive-pack only for a push route. Pushes then go through the {@link PushGate},
 * which checks the pusher's rights again, before any ref moves.
 */
public final class GitHttpService {
    private static final System.Logger LOG = System.getLogger(GitHttpService.class.getName());
    /** The reason git clients turn into their own advice to fetch, merge and push again. */
    public static final String FETCH_FIRST = "fetch first";
    private GitHttpService() {
    }

    /**
     * @param maxPackBytes pushes whose pack is larger are refused by git's own limit check
     * @param maxObjectBytes pushes with a larger object (a blob, mostly) are refused while the pack is read
     */
    public static HttpServlet servlet(HostedRepositories repositories, PushGate gate, long maxPackBytes, long maxObjectBytes) {
        var servlet = new GitServlet();
        servlet.setRepositoryResolver((request, name) -> {
            // JGit found the name with its own pattern; serve it only when it is the route's repository.
            RepositoryName repo = RepositoryName.parse(name);
            if (repo == null || !(route(request) instanceof GitRoute.To to) || !to.repository().equals(repo)
                    || !repositories.exists(repo)) {
                throw new RepositoryNotFoundException(name);
            }
            try {
                return new FileRepositoryBuilder().setGitDir(repositories.path(repo).toFile()).setMustExist(true).build();
            } catch (IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        servlet.setReceivePackFactory((request, db) -> {
            String pusher = request.getRemoteUser();
            if (pusher == null) throw new ServiceNotAuthorizedException();
            if (!(route(request) instanceof GitRoute.To to) || to.operation() != GitRoute.Operation.PUSH) {
                throw new ServiceNotEnabledException();
            }
            RepositoryName repo = to.repository();
            var pack = new ReceivePack(db);
            pack.setRefLogIdent(new PersonIdent(pusher, pusher + "@berth"));
            pack.setMaxPackSizeLimit(maxPackBytes);
            pack.setMaxObjectSizeLimit(maxObjectBytes);
            pack.setAllowNonFastForwards(true); // the gate decides who may rewrite history
            pack.setAllowDeletes(true);
            pack.setAtomic(true);
            var hooks = new Hooks(repo, pusher, gate);
            pack.setPreReceiveHook(hooks::preReceive);
            pack.setPostReceiveHook(hooks::postReceive);
            return pack;
        });
        return servlet;
    }

    /**
     * The route of a request as the servlet container mapped it: its decoded path after the
     * servlet's mapping. JGit's own wrappers rewrite the path info as they route, so they are
     * looked through.
     */
    private static GitRoute route(HttpServletRequest request) {
        ServletRequest container = request;
        while (container instanceof ServletRequestWrapper wrapper) container = wrapper.getRequest();
        var original = (HttpServletRequest) container;
        return GitRoute.parse(original.getMethod(), original.getPathInfo(), original.getQueryString());
    }

    /** Binds one push's JGit objects to the gate's view of it. */
    private static final class Hooks {
        private final RepositoryName repository;
        private final String pusher;
        private final PushGate gate;

        Hooks(RepositoryName repository, String pusher, PushGate gate) {
            this.repository = repository;
            this.pusher = pusher;
            this.gate = gate;
        }

        void preReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
            reportOutdated(pack);
            var pending = commands.stream().filter(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED).toList();
            if (pending.isEmpty()) return;
            PushGate.Verdict verdict;
            try {
                verdict = gate.review(view(pack, pending));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "checking a push to " + repository + " failed", e);
                // A failing gate must never let a push through.
                verdict = new PushGate.Verdict.Refuse("internal error", List.of("Berth could not check this push: " + e.getMessage()));
            }
            verdict.messages().forEach(pack::sendMessage);
            if (verdict instanceof PushGate.Verdict.Refuse refuse) {
                for (ReceiveCommand c : pending) c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, refuse.reason());
            }
        }

        /**
         * JGit reads the refs again when the pack arrives and refuses a change whose old id no
         * longer matches with words no pusher understands; such a ref moved since the pusher's git
         * read it, which git clients explain themselves when told "fetch first".
         */
        private void reportOutdated(ReceivePack pack) {
            var outdated = new ArrayList<ReceiveCommand>();
            for (ReceiveCommand c : pack.getAllCommands()) {
                if (c.getResult() != ReceiveCommand.Result.REJECTED_OTHER_REASON) continue;
                try {
                    var now = pack.getRepository().exactRef(c.getRefName());
                    ObjectId current = now == null || now.getObjectId() == null ? ObjectId.zeroId() : now.getObjectId();
                    if (!current.equals(c.getOldId())) outdated.add(c);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot read " + c.getRefName() + " of " + repository, e);
                }
            }
            if (outdated.isEmpty()) return;
            for (ReceiveCommand c : outdated) c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, FETCH_FIRST);
            try {
                gate.outdated(view(pack, outdated)).forEach(pack::sendMessage);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "reporting an outdated push to " + repository + " failed", e);
            }
        }

        void postReceive(ReceivePack pack, Collection<ReceiveCommand> commands) {
            var done = commands.stream().filter(c -> c.getResult() == ReceiveCommand.Result.OK).toList();
            if (done.isEmpty()) return;
            try {
                gate.accepted(view(pack, done)).forEach(pack::sendMessage);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "recording a push to " + repository + " failed", e);
                pack.sendMessage("the push was stored, but Berth could not record it yet (it tries again): " + e.getMessage());
            }
        }

        private Push view(ReceivePack pack, List<ReceiveCommand> commands) {
            var changes = new ArrayList<RefChange>();
            for (ReceiveCommand c : commands) {
                changes.add(new RefChange(c.getRefName(), id(c.getOldId()), id(c.getNewId()), kind(c.getType())));
            }
            Repository repo = pack.getRepository();
            return new Push() {
                @Override
                public RepositoryName repository() {
                    return repository;
                }

                @Override
                public String pusher() {
                    return pusher;
                }

                @Override
                public List<RefChange> changes() {
                    return List.copyOf(changes);
                }

                @Override
                public PushedCommit commit(CommitId id) throws IOException {
                    // A walk of its own: ReceivePack's walk drops commit bodies.
                    try (var walk = new RevWalk(repo)) {
                        RevCommit commit = walk.parseCommit(ObjectId.fromString(id.hex()));
                        return new PushedCommit(id, person(commit.getAuthorIdent()), person(commit.getCommitterIdent()),
                                commit.getFullMessage());
                    }
                }

                @Override
                public byte[] rawCommit(CommitId id) throws IOException {
                    try (var walk = new RevWalk(repo)) {
                        return walk.parseCommit(ObjectId.fromString(id.hex())).getRawBuffer().clone();
                    }
                }

                @Override
                public Optional<byte[]> file(CommitId id, String path, int maxBytes) throws IOException {
                    RevCommit commit;
                    try (var revWalk = new RevWalk(repo)) {
                        commit = revWalk.parseCommit(ObjectId.fromString(id.hex()));
                    }
                    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
                        if (walk == null || !walk.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.REGULAR_FILE)) {
                            return Optional.empty();
                        }
                        var loader = repo.open(walk.getObjectId(0));
                        if (loader.getSize() > maxBytes) {
                            throw new IOException(path + " is " + loader.getSize() + " bytes; the limit is " + maxBytes);
                        }
                        return Optional.of(loader.getBytes(maxBytes));
                    }
                }
            };
        }

        private static CommitId id(ObjectId id) {
            return id == null || id.equals(ObjectId.zeroId()) ? null : new CommitId(id.name());
        }

        private static RefChange.Kind kind(ReceiveCommand.Type type) {
            return switch (type) {
                case CREATE -> RefChange.Kind.CREATE;
                case UPDATE -> RefChange.Kind.UPDATE;
                case UPDATE_NONFASTFORWARD -> RefChange.Kind.FORCE_UPDATE;
                case DELETE -> RefChange.Kind.DELETE;
            };
        }

        private static Person person(PersonIdent ident) {
            return new Person(ident.getName(), ident.getEmailAddress(), ident.getWhenAsInstant());
        }
    }
}
