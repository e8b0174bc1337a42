package dev.berth.agent.daemon;

import dev.berth.agent.image.ImageDefaults;
import dev.berth.agent.image.ImageRecord;
import dev.berth.agent.image.ImageService;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.image.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Turns the spec a caller sent into the one the agent runs: root filesystem found, image defaults applied. */
final class SpecResolver {
    private final ImageService images;

    SpecResolver(ImageService images) {
        this.images = images;
    }

    /**
     * Resolves the root filesystem (pulling an image the agent does not have) and fills in what
     * the spec leaves to the image. The image is pinned by digest in the stored spec, so a restart
     * or re-adoption never picks up a moved tag.
     */
    public ContainerSpec resolve(ContainerSpec spec) throws IOException {
        if ((spec.rootfs() == null) == (spec.image() == null)) {
            throw new IOException("container '" + spec.name() + "' needs exactly one of rootfs and image");
        }
        try {
            if (spec.image() == null) {
                Path rootfs = Path.of(spec.rootfs());
                if (!Files.isDirectory(rootfs)) {
                    throw new IOException("the root filesystem " + rootfs + " of container '" + spec.name() + "' is not a directory");
                }
                return ImageDefaults.apply(spec, null, spec.rootfs(), accounts(rootfs));
            }
            ImageRecord image = images.ensure(spec.image(), new ImageService.Progress() {
                @Override
                public void blob(String digest, long done, long total) {
                }
            });
            Path rootfs = images.rootfs(image);
            var settled = ImageDefaults.apply(spec, images.config(image), rootfs.toString(), accounts(rootfs));
            return settled.withImage(pinned(spec.image(), image.digest()));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String pinned(String reference, String digest) {
        if (reference.startsWith("sha256:")) return reference;
        return ImageReference.parse(reference).withDigest(digest).toString();
    }

    /** /etc/passwd and /etc/group of a root filesystem, read only when they are plain files (never followed out of it). */
    private static ImageDefaults.Accounts accounts(Path rootfs) throws IOException {
        return new ImageDefaults.Accounts(plainFile(rootfs.resolve("etc/passwd")), plainFile(rootfs.resolve("etc/group")));
    }

    private static String plainFile(Path file) throws IOException {
        if (Files.isSymbolicLink(file.getParent()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || Files.size(file) > 1 << 20) {
            return "";
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

}
