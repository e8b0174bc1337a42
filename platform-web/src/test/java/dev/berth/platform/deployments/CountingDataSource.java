package dev.berth.platform.deployments;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A DataSource that counts the statements prepared or created on the connections it hands out,
 * in all and by SQL text: how tests prove a read takes a fixed number of queries, however many apps.
 */
final class CountingDataSource implements InvocationHandler {
    final AtomicInteger statements = new AtomicInteger();
    private final Map<String, LongAdder> bySql = new ConcurrentHashMap<>();
    private final DataSource target;

    CountingDataSource(DataSource target) {
        this.target = target;
    }

    DataSource proxy() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, this);
    }

    /** The statements counted so far by SQL text (whitespace collapsed), and starts counting afresh. */
    Map<String, Long> drain() {
        var out = new java.util.TreeMap<String, Long>();
        bySql.forEach((sql, n) -> out.put(sql, n.sum()));
        bySql.clear();
        statements.set(0);
        return out;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result = call(target, method, args);
        if (!(result instanceof Connection connection)) return result;
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
            if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")
                    || m.getName().equals("prepareCall")) {
                statements.incrementAndGet();
                String sql = a != null && a.length > 0 && a[0] instanceof String s ? s.strip().replaceAll("\\s+", " ") : "(created)";
                bySql.computeIfAbsent(sql, k -> new LongAdder()).increment();
            }
            return call(connection, m, a);
        });
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
