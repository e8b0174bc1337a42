package dev.berth.platform.cluster;

/** One notice as it travels: the instance that sent it and the changes it carries. */
public record ClusterNotice(ClusterInstance instance, ChangeBatch changes) {
}
