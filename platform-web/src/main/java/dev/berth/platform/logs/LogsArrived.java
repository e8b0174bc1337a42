package dev.berth.platform.logs;

/**
 * Published (as a Spring application event, after the lines are committed) when a container's log
 * got new lines on this platform instance, so a view can fetch {@code after(lastSeq)} instead of polling.
 */
public record LogsArrived(String hostId, String container, long lastSeq) {
}
