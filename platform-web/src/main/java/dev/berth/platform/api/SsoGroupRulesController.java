package dev.berth.platform.api;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.sso.GroupRule;
import dev.berth.platform.sso.GroupRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
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
@RequestMapping("/api/v1/sso/group-rules")
@Tag(name = "Single sign-on", description = "Rules mapping the identity provider's groups to team roles")
public class SsoGroupRulesController {
    private final GroupRules rules;
    private final CallerResolver callers;

    public SsoGroupRulesController(GroupRules rules, CallerResolver callers) {
        this.rules = rules;
        this.callers = callers;
    }

    /** @param group the provider's group name, as its groups claim spells it; @param role VIEWER, DEPLOYER or ADMIN */
    public record NewRule(String group, String team, String role) {
    }

    public record Rules(List<GroupRule> rules) {
    }

    @GetMapping
    @Operation(summary = "Every group rule (platform admins)")
    public Rules list() {
        return new Rules(rules.list(callers.current()));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a group rule (platform admins)",
            description = "Body {\"group\": \"payments-devs\", \"team\": \"payments\", \"role\": \"DEPLOYER\"}: members of the"
                    + " group get the role in the team from their next sign-in through the identity provider on. An unknown"
                    + " team or role, or an empty group, is refused (400); a second rule for the same group and team (409).")
    public GroupRule create(@RequestBody NewRule body, HttpServletRequest request) {
        return rules.create(callers.current(), body.group(), body.team(), body.role(), RequestOrigin.of(request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a group rule (platform admins)",
            description = "Memberships the rule granted go at each member's next sign-in, unless another rule grants them.")
    public void delete(@PathVariable long id, HttpServletRequest request) {
        rules.delete(callers.current(), id, RequestOrigin.of(request));
    }
}
