package dev.berth.image;

/**
 * An image reference that does not parse: {@link #reason()} says what is wrong as a sentence part
 * after "it" (such as {@code has a path component 'Web' that is not lowercase}), for messages
 * that name the reference their own way.
 */
public final class InvalidImageReference extends IllegalArgumentException {
    private final String reason;

    InvalidImageReference(String text, String reason) {
        super("invalid image reference \"" + ImageReference.clip(text) + "\": it " + reason);
        this.reason = reason;
    }

    /** What is wrong, such as {@code is empty} or {@code has an empty path component}. */
    public String reason() {
        return reason;
    }
}
