package dev.berth.agent.link;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.peer.TestCa;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.CertificateRequest;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.LogChunk;
import dev.berth.agent.protocol.Logs;
import dev.berth.agent.protocol.Registration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the platform's agent endpoints on 127.0.0.1, speaking the contract: register,
 * heartbeat, the assignment long poll (200 once the host's generation passes {@code after}, else
 * 204 after up to {@code wait} seconds), logs and, with a {@link #ca}, certificates for the keys
 * agents send (at registration and {@code /agent/v1/certificate}). It can refuse the credential, answer errors,
 * and stop and start again on the same port.
 */
public final class StandInPlatform implements AutoCloseable {
    public static final String HOST_ID = "h-000000000001";
    public static final String CREDENTIAL = "berth-agent_h-000000000001_secretsecretsecret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<LogChunk> chunks = new CopyOnWriteArrayList<>();
    public final List<Long> polledAfter = new CopyOnWriteArrayList<>();
    public final AtomicInteger registrations = new AtomicInteger();
    /** Answers for the next registrations, then 201 with the credential. */
    public final Deque<Integer> registerAnswers = new ArrayDeque<>();
    public volatile int registerStatus = 201;
    public volatile int heartbeatStatus = 204;
    /** A {@code Retry-After} header on heartbeat answers when set, as the platform sends with its 503s. */
    public volatile String heartbeatRetryAfter;
    public volatile boolean credentialAccepted = true;
    /** Issues certificates when set; registrations get none without it, and certificate requests 404. */
    public volatile TestCa ca;
    /** When certificates start, and how long they last. */
    public volatile Clock clock = Clock.systemUTC();
    public volatile Duration certificateLifetime = Duration.ofDays(30);
    public final AtomicInteger certificateRequests = new AtomicInteger();
    private Assignment assignment = new Assignment(Assignment.VERSION, HOST_ID, 0, List.of());
    private HttpServer server;
    private int port;
    private boolean stopped;

    public StandInPlatform() throws IOException {
        start(0);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The next assignment; polls waiting for a newer generation get it now. */
    public synchronized void assign(Assignment next) {
        assignment = next;
        notifyAll();
    }

    public synchronized Assignment assignment() {
        return assignment;
    }

    /** Stops answering; {@link #restart} brings it back on the same port. */
    public void stop() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        server.stop(0);
    }

    public void restart() throws IOException {
        synchronized (this) {
            stopped = false;
        }
        start(port);
    }

    private void start(int on) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/agent/v1/register", this::register);
        server.createContext("/agent/v1/heartbeat", this::heartbeat);
        server.createContext("/agent/v1/assignments", this::assignments);
        server.createContext("/agent/v1/logs", this::logs);
        server.createContext("/agent/v1/certificate", this::certificate);
        server.start();
        port = server.getAddress().getPort();
    }

    private void register(HttpExchange exchange) throws IOException {
        var registration = JSON.readValue(exchange.getRequestBody().readAllBytes(), Registration.class);
        registrations.incrementAndGet();
        Integer status;
        synchronized (registerAnswers) {
            status = registerAnswers.pollFirst();
        }
        if (status == null) status = registerStatus;
        if (status == 201) {
            var issuer = ca;
            String certificate = issuer == null || registration.publicKey() == null ? null : issue(issuer, registration.publicKey());
            send(exchange, 201, JSON.writeValueAsString(new dev.berth.agent.protocol.Registered(1, HOST_ID, CREDENTIAL, certificate,
                    certificate == null ? null : TestCa.pem(issuer.certificate))));
        } else if (status == 401) {
            send(exchange, 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"join token is not valid\"}");
        } else {
            send(exchange, status, "");
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(authorization));
        if (credentialAccepted && ("Bearer " + CREDENTIAL).equals(authorization)) return true;
        send(exchange, 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"credential is not valid\"}");
        return false;
    }

    private void heartbeat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!authorized(exchange)) return;
        heartbeats.add(JSON.readValue(body, Heartbeat.class));
        String retryAfter = heartbeatRetryAfter;
        if (retryAfter != null) exchange.getResponseHeaders().set("Retry-After", retryAfter);
        send(exchange, heartbeatStatus, "");
    }

    private void assignments(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) return;
        long after = Long.parseLong(query(exchange, "after", "-1"));
        int wait = Math.min(55, Integer.parseInt(query(exchange, "wait", "25")));
        polledAfter.add(after);
        Assignment answer;
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        synchronized (this) {
            while (!stopped && assignment.generation() <= after && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            }
            answer = assignment.generation() > after ? assignment : null;
        }
        if (answer == null) send(exchange, 204, "");
        else send(exchange, 200, JSON.writeValueAsString(answer));
    }

    private void certificate(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!authorized(exchange)) return;
        var issuer = ca;
        if (issuer == null) {
            send(exchange, 404, "");
            return;
        }
        certificateRequests.incrementAndGet();
        var request = JSON.readValue(body, CertificateRequest.class);
        send(exchange, 200, JSON.writeValueAsString(new dev.berth.agent.protocol.CertificateIssued(1,
                issue(issuer, request.publicKey()), TestCa.pem(issuer.certificate))));
    }

    private String issue(TestCa issuer, String publicKey) {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e);
        }
        return TestCa.pem(issuer.issue(HOST_ID, key, clock.instant(), certificateLifetime));
    }

    private void logs(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!authorized(exchange)) return;
        chunks.addAll(JSON.readValue(body, Logs.class).chunks());
        send(exchange, 204, "");
    }

    private static String query(HttpExchange exchange, String name, String otherwise) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) return otherwise;
        for (String pair : q.split("&")) {
            if (pair.startsWith(name + "=")) return pair.substring(name.length() + 1);
        }
        return otherwise;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204 || bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /** The text of every chunk of one container, in order of arrival. */
    public String logText(String container) {
        var out = new StringBuilder();
        for (LogChunk c : chunks) if (c.container().equals(container)) out.append(c.text());
        return out.toString();
    }

    @Override
    public void close() {
        stop();
    }
}
