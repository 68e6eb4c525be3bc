package org.teledeploy.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Database work handed to the {@link StoreWriter} or a {@link StoreReader}: runs on their thread with their
 * connection, inside the transaction they manage (it must not commit or roll back itself).
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlFunction<T> {
    T apply(Connection connection) throws SQLException;
}
