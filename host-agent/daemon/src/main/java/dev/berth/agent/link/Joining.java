package dev.berth.agent.link;

import dev.berth.agent.protocol.HostCapacity;
import dev.berth.agent.protocol.Registered;
import dev.berth.agent.protocol.Registration;
import dev.berth.atomicfile.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import tools.jackson.core.JacksonException;

/**
 * Joining the platform: the registration with a join token, retried with backoff while the
 * platform cannot be reached (a refused token ends it at once), and the credential it buys, kept
 * in a 0600 file. Never logs the token or the credential.
 */
final class Joining {
    private Joining() {
    }

    /** The platform answered, but not with a registration; trying again would not help. */
    static final class RegistrationFailed extends IOException {
        RegistrationFailed(String message) {
            super(message);
        }
    }

    /** Who registered this host: the instance that answered, and what it answered. */
    record Joined(URI platform, Registered registered) {
    }

    /**
     * Registers with the current instance, retrying connection failures and 5xx, 408 and 429
     * answers with backoff from {@code firstRetry} (on the next instance after no answer or a 502,
     * 503 or 504); with {@code publicKey} (base64 DER), the platform certifies it.
     */
    static Joined register(HttpClient http, PlatformInstances instances, String joinToken, String publicKey, Duration firstRetry,
                           PrintStream log) throws IOException {
        var state = new LinkState(log);
        for (int failures = 1; ; failures++) {
            URI platform = instances.current();
            try {
                return new Joined(platform, registerOnce(http, instances, platform, joinToken, publicKey));
            } catch (PlatformLink.JoinRefusedException | RegistrationFailed final_) {
                throw final_;
            } catch (IOException e) {
                state.is("unreachable " + platform, e.getMessage() + "; retrying with backoff");
            }
            try {
                Thread.sleep(instances.retryAfter(platform, LinkParts.nextDelay(firstRetry, failures)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while registering with " + platform, e);
            }
        }
    }

    private static Registered registerOnce(HttpClient http, PlatformInstances instances, URI platform, String joinToken,
                                           String publicKey) throws IOException {
        var registration = new Registration(Registration.VERSION, joinToken, PlatformLink.hostname(), hostCapacity(), agentVersion(),
                publicKey);
        var request = HttpRequest.newBuilder(LinkParts.endpoint(platform, "agent/v1/register"))
                .timeout(PlatformCalls.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PlatformCalls.JSON.writeValueAsString(registration), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = PlatformCalls.answered(instances, platform,
                    () -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationFailed("interrupted while registering with " + platform);
        } catch (IOException e) {
            throw new IOException("cannot reach the platform at " + platform + " to register: " + PlatformCalls.describe(e), e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String detail = PlatformCalls.detailOf(response.body());
            throw new PlatformLink.JoinRefusedException("the platform refused the join token: "
                    + (detail == null ? "HTTP " + status : detail) + "; ask a platform admin for a new one");
        }
        if (status / 100 == 5 || status == 408 || status == 429) {
            throw new IOException("the platform at " + platform + " cannot register this host now: HTTP " + status
                    + PlatformCalls.detail(response.body()));
        }
        if (status != 201 && status != 200) {
            throw new RegistrationFailed("the platform at " + platform + " did not register this host: HTTP " + status
                    + PlatformCalls.detail(response.body()));
        }
        Registered registered;
        try {
            registered = PlatformCalls.JSON.readValue(response.body(), Registered.class);
        } catch (JacksonException e) {
            throw new RegistrationFailed("the platform's answer to the registration is not a registration: " + e.getOriginalMessage());
        }
        if (registered.hostId() == null || registered.credential() == null) {
            throw new RegistrationFailed("the platform's answer to the registration lacks a host id or credential");
        }
        return registered;
    }

    static HostCapacity hostCapacity() {
        long memory;
        try {
            memory = LinkParts.memTotalBytes(Files.readString(Path.of("/proc/meminfo")));
        } catch (IOException e) {
            memory = 0;
        }
        return new HostCapacity(memory, Runtime.getRuntime().availableProcessors() * 1000);
    }

    static String agentVersion() {
        String version = PlatformLink.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }

    static PlatformLink.StoredCredential read(Path file) throws IOException {
        try {
            var stored = PlatformCalls.JSON.readValue(Files.readString(file), PlatformLink.StoredCredential.class);
            if (stored.hostId() == null || stored.credential() == null || stored.platform() == null) {
                throw new IOException(file + " lacks hostId, credential or platform; remove it and join again");
            }
            return stored;
        } catch (JacksonException e) {
            throw new IOException(file + " is not a stored credential: " + e.getOriginalMessage()
                    + "; remove it and join again", e);
        }
    }

    /** Replaces the credential file whole, 0600 from its creation. */
    static void write(Path file, PlatformLink.StoredCredential credential) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        AtomicFile.ownerOnly(file).write(PlatformCalls.JSON.writeValueAsBytes(credential));
    }

    static boolean sameUri(String stored, URI given) {
        return stripSlash(stored).equals(stripSlash(given.toString()));
    }

    /** Whether the credential's platform is one of {@code instances}. */
    static boolean among(String stored, java.util.List<URI> instances) {
        return instances.stream().anyMatch(uri -> sameUri(stored, uri));
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
