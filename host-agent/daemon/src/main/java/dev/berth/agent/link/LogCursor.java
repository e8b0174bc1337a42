package dev.berth.agent.link;

/**
 * How far one container's log has been shipped: {@code offset} bytes of {@code file}. Its
 * decisions are pure: what to read given the sizes seen now, and where a chunk may end.
 */
record LogCursor(String file, long offset) {

    /**
     * A read of {@code length} bytes from {@code from}, of the rotated copy ({@code FILE.1}) when
     * {@code rotated}; after a rotated read the cursor starts again at 0 of the file.
     */
    record Read(boolean rotated, long from, int length) {
    }

    /**
     * The next read, or null when nothing is new. A file smaller than the offset was rotated (its
     * content moved to {@code FILE.1}, the file truncated): what was left of it is read from the
     * copy, then shipping starts over at 0 with a new offset sequence.
     *
     * @param size the file's size now
     * @param rotatedSize the size of {@code FILE.1} now, -1 when there is none
     * @param max the most bytes one chunk may carry
     */
    Read next(long size, long rotatedSize, int max) {
        if (size >= offset) {
            return size == offset ? null : new Read(false, offset, (int) Math.min(size - offset, max));
        }
        if (rotatedSize > offset) return new Read(true, offset, (int) Math.min(rotatedSize - offset, max));
        return size == 0 ? new Read(false, 0, 0) : new Read(false, 0, (int) Math.min(size, max));
    }

    /**
     * How many of the first {@code length} bytes end on a whole UTF-8 character: a sequence cut
     * short at the end waits for the next chunk (the rest may still be written). Malformed bytes
     * elsewhere are left to the decoder to replace.
     */
    static int wholeCharacters(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(4, length); back++) {
            int b = bytes[length - back] & 0xff;
            if ((b & 0xc0) == 0x80) continue; // a continuation byte: look further back
            int needed = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }
}
