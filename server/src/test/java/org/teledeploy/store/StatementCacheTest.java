package org.teledeploy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatementCacheTest {

    private Connection raw;
    private Connection cached;

    @BeforeEach
    void open() throws SQLException {
        raw = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
        }
        cached = StatementCache.wrap(raw, 2);
    }

    @AfterEach
    void close() throws SQLException {
        cached.close();
    }

    @Test
    void theSameSqlGetsTheSameCompiledStatementWithFreshParameters() throws SQLException {
        PreparedStatement first = cached.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)");
        PreparedStatement underlying = first.unwrap(PreparedStatement.class);
        first.setInt(1, 1);
        first.setString(2, "a");
        first.executeUpdate();
        first.close();
        assertTrue(first.isClosed());
        assertThrows(SQLException.class, first::executeUpdate, "a closed handle is not usable any more");
        try (PreparedStatement second = cached.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            assertTrue(second.unwrap(PreparedStatement.class) == underlying, "compiled once");
            second.setInt(1, 2); // v left unbound: NULL, not the "a" of the previous use
            second.executeUpdate();
        }
        try (PreparedStatement ps = cached.prepareStatement("SELECT v FROM t WHERE k = 2");
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(null, rs.getString(1), "parameters are cleared when a statement is given back");
        }
        assertEquals(2, count());
    }

    @Test
    void aNestedUseOfTheSameSqlGetsItsOwnStatement() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        String sql = "SELECT v FROM t WHERE k >= ? ORDER BY k";
        try (PreparedStatement outer = cached.prepareStatement(sql)) {
            outer.setInt(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("a", rs.getString(1));
                try (PreparedStatement inner = cached.prepareStatement(sql)) {
                    assertFalse(inner.unwrap(PreparedStatement.class) == outer.unwrap(PreparedStatement.class));
                    inner.setInt(1, 2);
                    try (ResultSet in = inner.executeQuery()) {
                        assertTrue(in.next());
                        assertEquals("b", in.getString(1));
                    }
                }
                assertTrue(rs.next(), "the outer cursor was not disturbed");
                assertEquals("b", rs.getString(1));
            }
        }
    }

    @Test
    void closingResetsAnUnfinishedQuerySoWritesAreNotBlocked() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        PreparedStatement query = cached.prepareStatement("SELECT v FROM t ORDER BY k");
        ResultSet rs = query.executeQuery();
        assertTrue(rs.next()); // left half-read
        query.close();
        assertTrue(rs.isClosed(), "the open result set is closed with its handle");
        try (PreparedStatement again = cached.prepareStatement("SELECT v FROM t ORDER BY k");
             ResultSet fresh = again.executeQuery()) {
            assertTrue(fresh.next());
            assertEquals("a", fresh.getString(1), "a reused statement starts from the first row");
        }
    }

    @Test
    void theLeastRecentlyUsedStatementIsClosedBeyondCapacity() throws SQLException {
        PreparedStatement a = cached.prepareStatement("SELECT 1");
        PreparedStatement realA = a.unwrap(PreparedStatement.class);
        a.close();
        cached.prepareStatement("SELECT 2").close();
        cached.prepareStatement("SELECT 3").close(); // capacity 2: "SELECT 1" goes
        assertTrue(realA.isClosed());
        try (PreparedStatement again = cached.prepareStatement("SELECT 1"); ResultSet rs = again.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void closingTheConnectionClosesTheCachedStatements() throws SQLException {
        PreparedStatement a = cached.prepareStatement("SELECT 1");
        PreparedStatement real = a.unwrap(PreparedStatement.class);
        a.close();
        cached.close();
        assertTrue(real.isClosed());
        assertTrue(raw.isClosed());
    }

    private void insert(int k, String v) throws SQLException {
        try (PreparedStatement ps = cached.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            ps.setInt(1, k);
            ps.setString(2, v);
            ps.executeUpdate();
        }
    }

    private int count() throws SQLException {
        try (PreparedStatement ps = cached.prepareStatement("SELECT COUNT(*) FROM t"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
