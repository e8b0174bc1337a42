package dev.berth.platform.repositories;

import dev.berth.registry.RegistryPrerequisites;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tests that push or fetch berth.yaml start with: a registry on loopback holding one busybox
 * image, and a scratch directory. The test closes the registry and deletes the directory.
 *
 * @param image  the image as berth.yaml names it, {@code 127.0.0.1:PORT/repository:tag}
 * @param digest its manifest's digest
 */
record RegistryWithImage(TestRegistry registry, Path work, String image, String digest) {

    /** @param repositoryAndTag such as {@code acme/web:1} */
    static RegistryWithImage start(String workPrefix, String repositoryAndTag) throws Exception {
        RegistryPrerequisites.require();
        var registry = TestRegistry.start();
        Path work = Files.createTempDirectory(workPrefix);
        var built = TestImages.writeLayout(work.resolve("layout"), "1", TestImages.busybox().withCmd("/bin/sh"));
        TestImages.push(built.layout(), "1", registry.host(), repositoryAndTag, null);
        return new RegistryWithImage(registry, work, registry.host() + "/" + repositoryAndTag, built.image().manifest().digest());
    }
}
