package dev.berth.platform.certificates;

import com.sun.net.httpserver.HttpServer;
import dev.berth.agent.protocol.AcmeChallenge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stands in for the edges (another engineer builds them now): serves, on 127.0.0.1, the HTTP-01
 * challenges the platform publishes, as an edge will from its assignment. Hosts marked wrong get a
 * wrong key authorization, so the CA's validation fails.
 */
final class ChallengeServer implements AutoCloseable {
    private final HttpServer server;
    private final Set<String> wrong = ConcurrentHashMap.newKeySet();

    ChallengeServer(int port, Supplier<List<AcmeChallenge>> challenges) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/.well-known/acme-challenge/", exchange -> {
            String token = exchange.getRequestURI().getPath().substring("/.well-known/acme-challenge/".length());
            String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "");
            var found = challenges.get().stream().filter(c -> c.host().equals(host) && c.token().equals(token)).findFirst();
            byte[] body = found.map(c -> wrong.contains(host) ? "not-the-key-authorization" : c.keyAuthorization())
                    .orElse("no such challenge").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(found.isPresent() ? 200 : 404, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** From now on {@code host}'s challenges are answered wrongly. */
    void answerWrongly(String host) {
        wrong.add(host);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
