package dev.berth.agent.link;

import dev.berth.agent.daemon.ContainerInfo;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.HostCapacity;
import dev.berth.agent.protocol.Registered;
import dev.berth.agent.protocol.Registration;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's line to the platform: registers once with a join token, keeps the credential it gets
 * in {@code STATE/platform/credential.json} (0600), then sends a heartbeat at start and every
 * interval. While the platform cannot be reached it retries with backoff and says so once per
 * change, not per attempt. Never logs the join token or the credential.
 */
public final class PlatformLink implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** What the agent keeps after registering. */
    public record StoredCredential(String hostId, String credential, String platform) {
        /** Never prints the credential. */
        @Override
        public String toString() {
            return "StoredCredential[hostId=" + hostId + ", platform=" + platform + "]";
        }
    }

    /** The platform said no to the join token; the daemon cannot join and exits. */
    public static final class JoinRefusedException extends IOException {
        public JoinRefusedException(String message) {
            super(message);
        }
    }

    /** Where heartbeats get the containers from, {@code AgentService::ps} in the daemon. */
    @FunctionalInterface
    public interface Containers {
        List<ContainerInfo> list() throws IOException;
    }

    private enum State { STARTING, UP, UNREACHABLE, REFUSED, NO_CONTAINERS }

    private final URI platform;
    private final StoredCredential credential;
    private final Duration interval;
    private final PrintStream log;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private Containers containers;
    private State state = State.STARTING;
    private int failures;

    private PlatformLink(URI platform, StoredCredential credential, Duration interval, PrintStream log, HttpClient http) {
        this.platform = platform;
        this.credential = credential;
        this.interval = interval;
        this.log = log;
        this.http = http;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "platform-link");
            t.setDaemon(true);
            return t;
        });
    }

    public static Path credentialFile(Path state) {
        return state.resolve("platform").resolve("credential.json");
    }

    /** True when this state directory already holds a credential, so no join token is needed. */
    public static boolean hasCredential(Path state) {
        return Files.exists(credentialFile(state));
    }

    /**
     * Loads the stored credential, or registers with {@code joinToken} and stores the one the
     * platform answers. Nothing is sent to the platform but the registration.
     *
     * @throws JoinRefusedException when the platform refuses the join token
     * @throws IOException when the platform cannot be reached or the credential is for another platform
     */
    public static PlatformLink join(URI platform, Path state, String joinToken, Duration interval, PrintStream log)
            throws IOException {
        Objects.requireNonNull(platform, "platform");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the heartbeat interval must be positive");
        var http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        Path file = credentialFile(state);
        StoredCredential credential;
        if (Files.exists(file)) {
            credential = read(file);
            if (!sameUri(credential.platform(), platform)) {
                throw new IOException(file + " holds a credential for " + credential.platform() + ", not " + platform
                        + "; remove it to join this platform with a new join token");
            }
            log.println("berth-agent: host " + credential.hostId() + " of " + platform + " (credential from " + file + ")");
        } else {
            if (joinToken == null || joinToken.isBlank()) {
                throw new IllegalArgumentException("no credential in " + file + " and no join token to register with");
            }
            var registered = register(http, platform, joinToken, registration(joinToken));
            credential = new StoredCredential(registered.hostId(), registered.credential(), platform.toString());
            write(file, credential);
            log.println("berth-agent: joined " + platform + " as host " + credential.hostId() + "; credential stored in " + file);
        }
        return new PlatformLink(platform, credential, interval, log, http);
    }

    public String hostId() {
        return credential.hostId();
    }

    /** Sends the first heartbeat now and keeps sending them. */
    public void start(Containers source) {
        this.containers = Objects.requireNonNull(source);
        scheduler.execute(this::beat);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void beat() {
        State now;
        String why = null;
        try {
            var heartbeat = new Heartbeat(Heartbeat.VERSION, hostCapacity(), LinkParts.statuses(listContainers()));
            var response = send("agent/v1/heartbeat", heartbeat, credential.credential());
            if (response.statusCode() / 100 == 2) {
                now = State.UP;
            } else if (response.statusCode() == 401 || response.statusCode() == 403) {
                now = State.REFUSED;
                why = "HTTP " + response.statusCode() + detail(response.body());
            } else {
                now = State.UNREACHABLE;
                why = "HTTP " + response.statusCode() + detail(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ContainersUnavailable e) {
            now = State.NO_CONTAINERS;
            why = e.getMessage();
        } catch (IOException | RuntimeException e) {
            now = State.UNREACHABLE;
            why = describe(e);
        }
        failures = now == State.UP ? 0 : failures + 1;
        if (now != state) {
            switch (now) {
                case UP -> log.println("berth-agent: heartbeats reach " + platform + " (host " + credential.hostId() + ")");
                case REFUSED -> log.println("berth-agent: the platform refused this host's credential (" + why
                        + "); retrying with backoff");
                case NO_CONTAINERS -> log.println("berth-agent: cannot list containers for the heartbeat (" + why
                        + "); retrying with backoff");
                default -> log.println("berth-agent: cannot reach " + platform + " (" + why + "); retrying with backoff");
            }
            state = now;
        }
        if (!scheduler.isShutdown()) {
            try {
                scheduler.schedule(this::beat, LinkParts.nextDelay(interval, failures).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    private static final class ContainersUnavailable extends IOException {
        ContainersUnavailable(String message) {
            super(message);
        }
    }

    private HttpResponse<String> send(String path, Object body, String bearer) throws IOException, InterruptedException {
        try {
            var request = HttpRequest.newBuilder(LinkParts.endpoint(platform, path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IOException("cannot write the request: " + e.getOriginalMessage(), e);
        }
    }

    private List<ContainerInfo> listContainers() throws ContainersUnavailable {
        try {
            return containers.list();
        } catch (IOException | RuntimeException e) {
            throw new ContainersUnavailable(describe(e));
        }
    }

    private static Registered register(HttpClient http, URI platform, String joinToken, Registration registration)
            throws IOException {
        var request = HttpRequest.newBuilder(LinkParts.endpoint(platform, "agent/v1/register"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(registration), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering with " + platform, e);
        } catch (IOException e) {
            throw new IOException("cannot reach the platform at " + platform + " to register: " + describe(e), e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String detail = detailOf(response.body());
            throw new JoinRefusedException("the platform refused the join token: "
                    + (detail == null ? "HTTP " + status : detail) + "; ask a platform admin for a new one");
        }
        if (status != 201 && status != 200) {
            throw new IOException("the platform at " + platform + " did not register this host: HTTP " + status + detail(response.body()));
        }
        Registered registered;
        try {
            registered = JSON.readValue(response.body(), Registered.class);
        } catch (JacksonException e) {
            throw new IOException("the platform's answer to the registration is not a registration: " + e.getOriginalMessage(), e);
        }
        if (registered.hostId() == null || registered.credential() == null) {
            throw new IOException("the platform's answer to the registration lacks a host id or credential");
        }
        return registered;
    }

    private static Registration registration(String joinToken) {
        return new Registration(Registration.VERSION, joinToken, hostname(), hostCapacity(), agentVersion());
    }

    /** This host's name: what the resolver says, else /etc/hostname, else "localhost". */
    public static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) return name;
        } catch (IOException e) {
            // fall through to /etc/hostname
        }
        try {
            String name = Files.readString(Path.of("/etc/hostname")).trim();
            if (!name.isEmpty()) return name;
        } catch (IOException e) {
            // fall through
        }
        return "localhost";
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

    private static StoredCredential read(Path file) throws IOException {
        try {
            var stored = JSON.readValue(Files.readString(file), StoredCredential.class);
            if (stored.hostId() == null || stored.credential() == null || stored.platform() == null) {
                throw new IOException(file + " lacks hostId, credential or platform; remove it and join again");
            }
            return stored;
        } catch (JacksonException e) {
            throw new IOException(file + " is not a stored credential: " + e.getOriginalMessage()
                    + "; remove it and join again", e);
        }
    }

    /** Writes a temp file with mode 0600 beside the target, then renames it over. */
    static void write(Path file, StoredCredential credential) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(dir, ".credential-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(credential)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean sameUri(String stored, URI given) {
        return stripSlash(stored).equals(stripSlash(given.toString()));
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static String detail(String body) {
        String d = detailOf(body);
        return d == null ? "" : ": " + d;
    }

    /** The {@code detail} of a problem+json body, or null. */
    static String detailOf(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            var node = JSON.readTree(body).path("detail");
            return node.isString() && !node.asString().isBlank() ? node.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
