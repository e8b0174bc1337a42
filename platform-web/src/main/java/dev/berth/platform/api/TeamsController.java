package dev.berth.platform.api;

import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.Member;
import dev.berth.platform.access.Role;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams")
@Tag(name = "Teams", description = "Teams and their members")
public class TeamsController {
    private final TeamService teams;
    private final CallerResolver callers;

    public TeamsController(TeamService teams, CallerResolver callers) {
        this.teams = teams;
        this.callers = callers;
    }

    public record CreateTeam(String name) {
    }

    public record AddMember(String username, String role) {
    }

    public record ChangeRole(String role) {
    }

    @GetMapping
    @Operation(summary = "Teams you can see (all of them for platform admins)")
    public List<Team> list() {
        return teams.list(callers.current());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a team (platform admins); the creator becomes its ADMIN")
    public Team create(@RequestBody CreateTeam body, HttpServletRequest request) {
        return teams.create(callers.current(), body.name(), RequestOrigin.of(request));
    }

    @GetMapping("/{team}")
    public Team get(@PathVariable String team) {
        return teams.get(callers.current(), team);
    }

    @GetMapping("/{team}/members")
    @Operation(summary = "Members of a team (any member)")
    public List<Member> members(@PathVariable String team) {
        return teams.members(callers.current(), team);
    }

    @GetMapping("/{team}/members/{user}")
    @Operation(summary = "One member and their role (any member)")
    public Member member(@PathVariable String team, @PathVariable String user) {
        return teams.member(callers.current(), team, user);
    }

    @PostMapping("/{team}/members")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a member, or change the role of an existing one (team ADMIN)")
    public Member add(@PathVariable String team, @RequestBody AddMember body, HttpServletRequest request) {
        return teams.setMember(callers.current(), team, body.username(), Role.parse(body.role()), RequestOrigin.of(request));
    }

    @PutMapping("/{team}/members/{user}")
    @Operation(summary = "Change a member's role (team ADMIN)")
    public Member changeRole(@PathVariable String team, @PathVariable String user, @RequestBody ChangeRole body,
                             HttpServletRequest request) {
        return teams.setMember(callers.current(), team, user, Role.parse(body.role()), RequestOrigin.of(request));
    }

    @DeleteMapping("/{team}/members/{user}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a member (team ADMIN); a team keeps at least one ADMIN")
    public void remove(@PathVariable String team, @PathVariable String user, HttpServletRequest request) {
        teams.removeMember(callers.current(), team, user, RequestOrigin.of(request));
    }
}
