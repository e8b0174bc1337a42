package dev.berth.platform.api;

import dev.berth.platform.repositories.ExternalSync;
import dev.berth.platform.repositories.Repository;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.repositories.Revision;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}")
@Tag(name = "Repositories", description = "Hosted git repositories and the revisions pushed to them")
public class RepositoriesController {
    private final RepositoryService repositories;
    private final CallerResolver callers;

    public RepositoriesController(RepositoryService repositories, CallerResolver callers) {
        this.repositories = repositories;
        this.callers = callers;
    }

    /**
     * A hosted repository ({@code name}, {@code branch}), or with {@code url} an external one that
     * Berth fetches: {@code path} of the definition inside it, {@code username} and {@code token}
     * for https, {@code pollSeconds} between fetches.
     *
     * @param branch the deploy branch, {@code main} when omitted
     */
    public record CreateRepository(String name, String branch, String url, String path, String username, String token,
                                   Integer pollSeconds) {
    }

    @PostMapping("/repositories")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a hosted repository (team ADMIN); push berth.yaml to its deploy branch to deploy")
    public Object create(@PathVariable String team, @RequestBody CreateRepository body, HttpServletRequest request) {
        if (body.url() != null) {
            return repositories.registerExternal(callers.current(), team, body.name(), new RepositoryService.ExternalSource(
                    body.url(), body.branch(), body.path(), body.username(), body.token(), body.pollSeconds()), RequestOrigin.of(request));
        }
        return repositories.create(callers.current(), team, body.name(), body.branch(), RequestOrigin.of(request));
    }

    public record SigningChange(Boolean required) {
    }

    public record NewTrustedKey(String armored) {
    }

    @GetMapping("/repositories/{name}/signing")
    @Operation(summary = "Whether only signed commits are accepted, and the trusted OpenPGP keys (any member)")
    public RepositoryService.Signing signing(@PathVariable String team, @PathVariable String name) {
        return repositories.signing(callers.current(), team, name);
    }

    @PutMapping("/repositories/{name}/signing")
    @Operation(summary = "Require commits signed by a trusted key, or stop requiring it (team ADMIN)")
    public RepositoryService.Signing setSigning(@PathVariable String team, @PathVariable String name, @RequestBody SigningChange body,
                                                HttpServletRequest request) {
        if (body.required() == null) throw new dev.berth.platform.problem.Problem.Invalid("'required' must be true or false");
        return repositories.requireSigned(callers.current(), team, name, body.required(), RequestOrigin.of(request));
    }

    @PostMapping("/repositories/{name}/trusted-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Trust an ASCII-armored OpenPGP public key for commits to this repository (team ADMIN)")
    public RepositoryService.TrustedKeyView trustKey(@PathVariable String team, @PathVariable String name,
                                                     @RequestBody NewTrustedKey body, HttpServletRequest request) {
        return repositories.trustKey(callers.current(), team, name, body.armored(), RequestOrigin.of(request));
    }

    @DeleteMapping("/repositories/{name}/trusted-keys/{fingerprint}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Stop trusting a key (team ADMIN)")
    public void distrustKey(@PathVariable String team, @PathVariable String name, @PathVariable String fingerprint,
                            HttpServletRequest request) {
        repositories.distrustKey(callers.current(), team, name, fingerprint, RequestOrigin.of(request));
    }

    @PostMapping("/repositories/{name}/sync")
    @Operation(summary = "Fetch an external repository now (team DEPLOYER); answers with the outcome")
    public ExternalSync.Result syncNow(@PathVariable String team, @PathVariable String name) {
        return repositories.syncNow(callers.current(), team, name);
    }

    @GetMapping("/repositories")
    @Operation(summary = "The team's repositories (any member)")
    public List<Repository> list(@PathVariable String team) {
        return repositories.list(callers.current(), team);
    }

    @GetMapping("/repositories/{name}")
    public Repository get(@PathVariable String team, @PathVariable String name) {
        return repositories.get(callers.current(), team, name);
    }

    @GetMapping("/repositories/{name}/revisions")
    @Operation(summary = "Revisions recorded from pushes to the repository's deploy branch, newest first")
    public List<Revision> repositoryRevisions(@PathVariable String team, @PathVariable String name,
                                              @RequestParam(defaultValue = "50") int limit) {
        return repositories.revisionsOfRepository(callers.current(), team, name, limit);
    }

    @GetMapping("/apps/{app}/revisions")
    @Operation(summary = "Revisions that define an app, newest first, with the digest each image was pinned to")
    public List<Revision> appRevisions(@PathVariable String team, @PathVariable String app,
                                       @RequestParam(defaultValue = "50") int limit) {
        return repositories.revisionsOfApp(callers.current(), team, app, limit);
    }
}
