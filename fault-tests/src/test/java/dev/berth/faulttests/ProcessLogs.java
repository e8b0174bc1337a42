package dev.berth.faulttests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The logs of every process a fault test started (platform instances, agents, PostgreSQL), attached
 * to a failure: the end of each, since the fault is usually last. Processes register their log
 * file when they start and stay registered until the class's cluster closes.
 */
final class ProcessLogs implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final int TAIL_LINES = 120;
    private static final Map<String, Path> LOGS = new ConcurrentHashMap<>();

    static void register(String name, Path log) {
        LOGS.put(name, log);
    }

    static void clear() {
        LOGS.clear();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    private static Throwable withLogs(Throwable failure) {
        if (LOGS.isEmpty() || failure instanceof org.opentest4j.TestAbortedException) return failure;
        var message = new StringBuilder(String.valueOf(failure.getMessage()));
        LOGS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> message.append("\n\n===== log of ")
                .append(e.getKey()).append(" (").append(e.getValue()).append("), last ").append(TAIL_LINES)
                .append(" lines =====\n").append(tail(e.getValue())));
        var withLogs = new AssertionError(message.toString(), failure);
        withLogs.setStackTrace(failure.getStackTrace());
        return withLogs;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
