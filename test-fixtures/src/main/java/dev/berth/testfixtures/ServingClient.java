package dev.berth.testfixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client of an app requesting its published addresses in turn, as fast as it can, from its own
 * thread until closed: what a rollout or a fault must not disturb. It keeps every failed request and
 * what each address said last. The addresses are asked again before each turn, so replicas that
 * move are followed.
 */
public final class ServingClient implements AutoCloseable {
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger ok = new AtomicInteger();
    private final Map<String, String> last = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** Starts requesting {@code addresses} (each {@code 127.0.0.1:PORT}), 5 s allowed per request. */
    public ServingClient(Supplier<List<String>> addresses) {
        thread = Thread.ofPlatform().name("serving-client").start(() -> {
            while (running.get()) {
                for (String address : addresses.get()) {
                    String body = PublishedAddress.fetch(address);
                    if (body == null) failures.add(address + " at " + Instant.now());
                    else {
                        ok.incrementAndGet();
                        last.put(address, body);
                    }
                }
            }
        });
    }

    /** The requests that failed so far: each address with the time. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** How many requests were answered so far. */
    public int ok() {
        return ok.get();
    }

    /** What each address answered last. */
    public Map<String, String> last() {
        return Map.copyOf(last);
    }

    /** Waits until every address answered {@code body} last. */
    public void awaitAll(String body, Duration within) throws InterruptedException {
        Await.until(within, "every address answering " + body, this::last,
                m -> !m.isEmpty() && m.values().stream().allMatch(body::equals));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
