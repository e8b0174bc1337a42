package dev.berth.platform.repositories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.network.NetworkProperties;
import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import dev.berth.registry.network.AddressPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resolver push review uses, against a real docker-registry on 127.0.0.1: its address guard
 * and its image limits come from the platform's settings.
 */
class RegistryImageResolverTest {
    private static TestRegistry registry;
    private static Path work;
    private static String image;
    private static String digest;

    @BeforeAll
    static void pushAnImageOfSixLayers() throws Exception {
        RegistryPrerequisites.require();
        registry = TestRegistry.start();
        work = Files.createTempDirectory("berth-resolver");
        List<TestImages.Layer> layers = new ArrayList<>();
        for (int i = 0; i < 6; i++) layers.add(TestImages.Layer.of(TestImages.Entry.file("f" + i, "layer " + i)));
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.Image.of(layers.toArray(TestImages.Layer[]::new)));
        TestImages.push(built.layout(), "1", registry.host(), "acme/six:1", null);
        image = registry.host() + "/acme/six:1";
        digest = built.image().manifest().digest();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
        if (work != null) TestRegistry.deleteTree(work);
    }

    private static GitProperties properties(int maxLayers, long maxBytes) {
        return new GitProperties(work.resolve("git"), null, null, List.of("127.0.0.1:*"), null, null, null, null,
                maxLayers, maxBytes);
    }

    private static AddressPolicy policy(String... allowed) {
        return AddressPolicy.of(List.of(allowed), Set.of(), NetworkProperties.SETTING);
    }

    @Test
    void aLoopbackRegistryIsRefusedUntilAnAdministratorAllowsIt() throws Exception {
        try (var resolver = new RegistryImageResolver(properties(128, 1L << 30), policy())) {
            assertThatThrownBy(() -> resolver.resolve(image))
                    .isInstanceOf(ImageResolver.UnresolvableImage.class)
                    .hasMessage(registry.host() + ": '127.0.0.1' resolves to 127.0.0.1, a loopback address; Berth does not"
                            + " connect to loopback, private, link-local or its own addresses unless an administrator"
                            + " allows them (berth.network.allowed-private-targets, BERTH_ALLOWED_PRIVATE_TARGETS)");
        }
        try (var resolver = new RegistryImageResolver(properties(128, 1L << 30), policy("127.0.0.0/8"))) {
            assertThat(resolver.resolve(image)).isEqualTo(digest);
        }
    }

    @Test
    void imagesAboveTheConfiguredLayerCountOrSizeAreRefused() throws Exception {
        try (var resolver = new RegistryImageResolver(properties(5, 1L << 30), policy("127.0.0.1"))) {
            assertThatThrownBy(() -> resolver.resolve(image))
                    .hasMessage(registry.host() + "/acme/six: image " + image + " has 6 layers, more than the limit of 5");
        }
        try (var resolver = new RegistryImageResolver(properties(128, 100), policy("127.0.0.1"))) {
            assertThatThrownBy(() -> resolver.resolve(image))
                    .hasMessageStartingWith(registry.host() + "/acme/six: image " + image + " is ")
                    .hasMessageEndingWith(" bytes (config and layers as stored in the registry), more than the limit of 100");
        }
    }
}
