package org.teledeploy.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the writer connection's prepared statements: sqlite-jdbc compiles the SQL again at every
 * {@code prepareStatement}, which was 40 % of the writer thread's time under an inventory load. The wrapped
 * connection hands out the same compiled statement for the same SQL; closing it only resets it (its result set
 * closed, parameters and batch cleared) and gives it back. A statement still open when the same SQL is asked for
 * again (a nested use) is not shared: the caller gets a fresh, uncached one. At most {@code capacity} statements
 * are kept, least recently used out first.
 *
 * <p>For one thread's connection only (the store writer's): nothing here is synchronized.
 */
public final class StatementCache {

    private static final Logger log = LoggerFactory.getLogger(StatementCache.class);

    private final Connection connection;
    private final Map<String, Entry> entries;

    private StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                if (!eldest.getValue().inUse) {
                    closeQuietly(eldest.getValue().statement);
                    return true;
                }
                return false;
            }
        };
    }

    /** {@code connection} with its {@code prepareStatement(String)} cached; closing it closes the statements too. */
    public static Connection wrap(Connection connection, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        StatementCache cache = new StatementCache(connection, capacity);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                cache.new ConnectionHandler());
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Entry entry = entries.get(sql);
        if (entry != null && entry.inUse) {
            return connection.prepareStatement(sql); // nested use of the same SQL: not shared
        }
        if (entry == null || entry.statement.isClosed()) {
            entry = new Entry(connection.prepareStatement(sql));
            entries.put(sql, entry);
        }
        entry.inUse = true;
        Entry checkedOut = entry;
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            giveBack(checkedOut);
                            return null;
                        }
                        case "isClosed" -> {
                            return !checkedOut.inUse;
                        }
                        case "unwrap", "isWrapperFor" -> {
                            return invoke(method, checkedOut.statement, args);
                        }
                        case "executeQuery", "getResultSet" -> {
                            if (!checkedOut.inUse) {
                                throw new SQLException("statement is closed");
                            }
                            Object rs = invoke(method, checkedOut.statement, args);
                            checkedOut.results = (ResultSet) rs;
                            return rs;
                        }
                        default -> {
                            if (!checkedOut.inUse) {
                                throw new SQLException("statement is closed");
                            }
                            return invoke(method, checkedOut.statement, args);
                        }
                    }
                });
    }

    private void giveBack(Entry entry) throws SQLException {
        if (!entry.inUse) {
            return;
        }
        entry.inUse = false;
        try {
            ResultSet open = entry.results;
            entry.results = null;
            if (open != null && !open.isClosed()) {
                open.close(); // resets the SQLite statement: no read snapshot stays open
            }
            entry.statement.clearParameters();
            entry.statement.clearBatch();
        } catch (SQLException e) {
            // A statement that cannot be reset is not reused.
            entries.values().remove(entry);
            closeQuietly(entry.statement);
            throw e;
        }
    }

    private void closeAll() {
        entries.values().forEach(e -> closeQuietly(e.statement));
        entries.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            log.debug("Closing a cached statement failed: {}", e.getMessage());
        }
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A compiled statement and whether a caller holds it now. */
    private static final class Entry {
        final PreparedStatement statement;
        boolean inUse;
        ResultSet results;

        Entry(PreparedStatement statement) {
            this.statement = statement;
        }
    }

    /** Routes {@code prepareStatement(String)} to the cache, {@code close()} to the statements too. */
    private final class ConnectionHandler implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
                return prepare((String) args[0]);
            }
            if (method.getName().equals("close")) {
                closeAll();
            }
            return StatementCache.invoke(method, connection, args);
        }
    }
}
