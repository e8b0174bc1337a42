package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A push's images resolved once each, all at the same time, each to its digest or its reason. */
class ImageResolverTest {

    @Test
    void everyDistinctImageOnceInTheOrderGivenWithTheReasonOfThoseThatFail() {
        var calls = new ConcurrentHashMap<String, AtomicInteger>();
        ImageResolver resolver = image -> {
            calls.computeIfAbsent(image, i -> new AtomicInteger()).incrementAndGet();
            if (image.startsWith("missing")) throw new ImageResolver.UnresolvableImage("manifest unknown", null);
            return "sha256:" + image.length();
        };

        var resolved = resolver.resolveAll(List.of("web:1", "missing:2", "web:1", "worker:10"));

        assertThat(resolved).containsExactly(
                Map.entry("web:1", new ImageResolver.Resolved("sha256:5")),
                Map.entry("missing:2", new ImageResolver.Unresolved("manifest unknown")),
                Map.entry("worker:10", new ImageResolver.Resolved("sha256:9")));
        assertThat(calls).allSatisfy((image, n) -> assertThat(n).hasValue(1));
    }

    @Test
    void imagesAreResolvedAtTheSameTimeNotOneAfterAnother() {
        // Each resolution waits until all three are under way: one after another, none would finish.
        var underWay = new CountDownLatch(3);
        ImageResolver resolver = image -> {
            underWay.countDown();
            try {
                if (!underWay.await(30, TimeUnit.SECONDS)) throw new ImageResolver.UnresolvableImage("resolved alone", null);
            } catch (InterruptedException e) {
                throw new ImageResolver.UnresolvableImage("interrupted", e);
            }
            return "sha256:" + image;
        };

        var resolved = resolver.resolveAll(List.of("a", "b", "c"));

        assertThat(resolved.values()).containsExactly(new ImageResolver.Resolved("sha256:a"),
                new ImageResolver.Resolved("sha256:b"), new ImageResolver.Resolved("sha256:c"));
    }

    @Test
    void manyImagesAskTheRegistriesAFewAtATime() {
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        ImageResolver resolver = image -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new ImageResolver.UnresolvableImage("interrupted", e);
            } finally {
                inFlight.decrementAndGet();
            }
            return "sha256:" + image;
        };

        var images = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "app" + i + ":1").toList();
        var resolved = resolver.resolveAll(images);

        assertThat(resolved).hasSize(40);
        assertThat(most.get()).isBetween(2, ImageResolver.RESOLVING_AT_ONCE);
    }

    @Test
    void oneImageIsResolvedOnTheCallersThread() {
        var thread = new java.util.concurrent.atomic.AtomicReference<Thread>();
        ImageResolver resolver = image -> {
            thread.set(Thread.currentThread());
            return "sha256:x";
        };

        resolver.resolveAll(List.of("web:1", "web:1"));

        assertThat(thread.get()).isSameAs(Thread.currentThread());
    }
}
