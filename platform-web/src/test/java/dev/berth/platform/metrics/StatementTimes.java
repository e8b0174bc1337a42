package dev.berth.platform.metrics;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A DataSource that times each prepared statement's execution by its SQL text, and each commit:
 * where a maintenance run's time goes, without changing what it runs.
 */
final class StatementTimes {
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final DataSource target;

    StatementTimes(DataSource target) {
        this.target = target;
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
            Object result = call(target, m, a);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    /** Milliseconds by statement (its first words) with the number of calls, most first; then starts afresh. */
    String drain() {
        var out = new StringBuilder();
        nanos.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum())).forEach(e ->
                out.append("  %.0f ms in %d calls: %s%n".formatted(e.getValue().sum() / 1e6, calls.get(e.getKey()).sum(), e.getKey())));
        nanos.clear();
        calls.clear();
        return out.toString();
    }

    private Connection connection(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
            if (m.getName().equals("commit")) return timed("COMMIT", () -> call(c, m, a));
            Object result = call(c, m, a);
            if (m.getName().equals("prepareStatement") && result instanceof PreparedStatement ps) {
                String sql = ((String) a[0]).strip().replaceAll("\\s+", " ");
                return statement(ps, sql.length() > 110 ? sql.substring(0, 110) + "…" : sql);
            }
            return result;
        });
    }

    private PreparedStatement statement(PreparedStatement ps, String sql) {
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, a) ->
                m.getName().startsWith("execute") ? timed(sql, () -> call(ps, m, a)) : call(ps, m, a));
    }

    private interface Call {
        Object run() throws Throwable;
    }

    private Object timed(String key, Call work) throws Throwable {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            nanos.computeIfAbsent(key, k -> new LongAdder()).add(System.nanoTime() - start);
            calls.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
