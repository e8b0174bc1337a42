package dev.berth.platform.api;

import dev.berth.platform.repositories.WebhookReceiver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.operations.WebhookFailures;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Repositories")
public class WebhooksController {
    private final WebhookReceiver webhooks;
    private final WebhookFailures failures;

    public WebhooksController(WebhookReceiver webhooks, WebhookFailures failures) {
        this.webhooks = webhooks;
        this.failures = failures;
    }

    @PostMapping("/api/v1/repositories/{id}/webhook")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "A forge's push webhook (GitHub, GitLab, Gitea), authenticated by the repository's webhook secret")
    public WebhookReceiver.Receipt receive(@PathVariable long id, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        try {
            return webhooks.receive(id, request::getHeader, body == null ? new byte[0] : body, RequestOrigin.of(request).address());
        } catch (RuntimeException e) {
            failures.count(e);
            throw e;
        }
    }
}
