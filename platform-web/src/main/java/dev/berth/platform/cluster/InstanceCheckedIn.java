package dev.berth.platform.cluster;

/**
 * This instance checked in (and judged the others): published after every check that reached the
 * database, every {@code 2 s}, outside its transaction and on the watch's thread. A tick for work a
 * stopped instance may have left owed (the first comes as the instance starts).
 *
 * @param by this instance's name for people
 */
public record InstanceCheckedIn(String by) {
}
