package dev.berth.platform.api;

import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import dev.berth.platform.tokens.ApiToken;
import dev.berth.platform.tokens.TokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens", description = "Personal API tokens")
public class TokensController {
    private final TokenService tokens;
    private final CallerResolver callers;

    public TokensController(TokenService tokens, CallerResolver callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    /** {@code team} and {@code role} narrow the token; {@code expiresAt} is an ISO-8601 instant. */
    public record CreateToken(String name, String team, String role, Instant expiresAt) {
    }

    /** The secret {@code token} is returned only here, once. */
    public record CreatedToken(String token, String id, String name, String team, Role role, Instant expiresAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a personal API token",
            description = "Accepts a bearer token or, to get a first token, username and password as Basic auth. "
                    + "The token is shown once. A token created with a token never reaches further or lives longer "
                    + "than it: team, role and expiry left out are inherited from it, and asking for more is refused (403).")
    public CreatedToken create(@RequestBody CreateToken body, HttpServletRequest request) {
        var role = body.role() == null ? null : Role.parse(body.role());
        var issued = tokens.create(callers.current(),
                new TokenService.Request(body.name(), body.team(), role, body.expiresAt()), RequestOrigin.of(request));
        var d = issued.details();
        return new CreatedToken(issued.token(), d.id(), d.name(), d.team(), d.maxRole(), d.expiresAt());
    }

    @GetMapping
    @Operation(summary = "List your tokens (never their secrets)",
            description = "Needs a token not narrowed to a team.")
    public List<ApiToken> list() {
        return tokens.list(callers.current());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke one of your tokens",
            description = "A token narrowed to a team may revoke only itself.")
    public void revoke(@PathVariable String id, HttpServletRequest request) {
        tokens.revoke(callers.current(), id, RequestOrigin.of(request));
    }
}
