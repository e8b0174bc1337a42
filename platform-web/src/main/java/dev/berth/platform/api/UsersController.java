package dev.berth.platform.api;

import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.RequestOrigin;
import dev.berth.platform.users.UserService;
import dev.berth.platform.users.UserSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
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

    @GetMapping
    @Operation(summary = "List users (platform admins)")
    public List<UserSummary> list() {
        return users.list(callers.current());
    }
}
