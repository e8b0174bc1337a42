package dev.berth.platform.api;

import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.users.UserService;
import dev.berth.platform.users.UserSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "User accounts (platform admins)")
public class UsersController {
    private final UserService users;
    private final CallerResolver callers;

    public UsersController(UserService users, CallerResolver callers) {
        this.users = users;
        this.callers = callers;
    }

    public record CreateUser(String username, String password, Boolean platformAdmin) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user (platform admins)")
    public UserSummary create(@RequestBody CreateUser body, HttpServletRequest request) {
        return users.create(callers.current(), body.username(), body.password(), Boolean.TRUE.equals(body.platformAdmin()),
                RequestOrigin.of(request));
    }

    public record ChangePassword(String currentPassword, String newPassword) {
    }

    public record ResetPassword(String newPassword) {
    }

    @PutMapping("/me/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change your own password (needs the current one)",
            description = "Ends your other dashboard sessions and revokes your other tokens; the token used here stays.")
    public void changeOwnPassword(@RequestBody ChangePassword body, HttpServletRequest request) {
        users.changeOwnPassword(callers.current(), body.currentPassword(), body.newPassword(), RequestOrigin.of(request));
    }

    @PutMapping("/{username}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set a user's password and lift a lockout (platform admins)",
            description = "Ends all the user's dashboard sessions and revokes all their tokens.")
    public void resetPassword(@PathVariable String username, @RequestBody ResetPassword body, HttpServletRequest request) {
        users.resetPassword(callers.current(), username, body.newPassword(), RequestOrigin.of(request));
    }

    @GetMapping
    @Operation(summary = "List users (platform admins)")
    public List<UserSummary> list() {
        return users.list(callers.current());
    }
}
