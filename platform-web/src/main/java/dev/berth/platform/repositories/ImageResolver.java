package dev.berth.platform.repositories;

/** Turns an image reference from berth.yaml into the digest a revision pins. */
public interface ImageResolver {
    /**
     * @return the digest ({@code sha256:...}) of the image's index, or of its manifest when it has none
     * @throws UnresolvableImage with the registry's reason
     */
    String resolve(String image) throws UnresolvableImage;

    /** An image that cannot be pinned, and why. */
    final class UnresolvableImage extends Exception {
        public UnresolvableImage(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
