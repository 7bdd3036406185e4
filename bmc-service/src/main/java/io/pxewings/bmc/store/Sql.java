package io.pxewings.bmc.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/** One statement on a pooled connection; a database error becomes an unchecked one naming the table. */
final class Sql {

    interface Query<T> {
        T run(PreparedStatement q) throws SQLException;
    }

    private Sql() {
    }

    static <T> T run(DataSource db, String table, String statement, Query<T> query) {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(statement)) {
            return query.run(q);
        } catch (SQLException e) {
            throw new IllegalStateException(table + ": " + e.getMessage(), e);
        }
    }
}
