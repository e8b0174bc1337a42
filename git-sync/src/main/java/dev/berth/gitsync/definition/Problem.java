package dev.berth.gitsync.definition;

/**
 * One thing wrong with a definition, at a 1-based line and column (columns count characters,
 * not bytes), worded as a sentence for the person who wrote the file.
 */
public record Problem(String file, int line, int column, String message) {
    /** The conventional {@code file:line:column: message} form that editors and CI logs link. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
