package org.histodraw.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and schema: H2 (embedded file database) or PostgreSQL, migrated by Flyway at
 * start. Work runs in {@link #transaction} (all or nothing) or {@link #read}.
 */
public final class Database implements AutoCloseable {
    /** The dialects we write SQL for; the SQL itself is kept to what both accept. */
    public enum Dialect { H2, POSTGRESQL }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Opens (and migrates) the database at a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...}). */
    public static Database open(String url, String user, String password) {
        Dialect dialect;
        if (url.startsWith("jdbc:h2:")) {
            dialect = Dialect.H2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            dialect = Dialect.POSTGRESQL;
        } else {
            throw new IllegalArgumentException("database URL must start with jdbc:h2: or jdbc:postgresql: : " + url);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("histodraw");
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect);
    }

    /** The H2 URL for a file database under {@code dir}, with identifiers folded to lower case as in PostgreSQL. */
    public static String h2FileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("histodraw") + ";DATABASE_TO_LOWER=TRUE";
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                if (e instanceof SQLException sql) {
                    throw new StoreException("database error: " + sql.getMessage(), sql);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a read whose rows are handed on one by one (a viewport's regions to a response, a
     * layer's boxes to a picture) in one transaction, so that both databases stream: PostgreSQL
     * with a cursor (fetch size), H2 in lazy mode. Without it H2 builds the whole result first,
     * on disk past 40,000 rows: a whole-slide query of 60,000 regions took ten times as long.
     */
    public <T> T streamingRead(Work<T> work) {
        if (dialect != Dialect.H2) {
            return transaction(work);
        }
        return transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            try {
                return work.run(c);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        });
    }

    /** Runs read-only work on a connection in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- small JDBC helpers shared by the stores ----

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, params);
        return ps;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Optional<?> o) {
                ps.setObject(i + 1, o.orElse(null));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> all = list(c, sql, mapper, params);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs an INSERT and returns the generated {@code id}. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id generated by " + sql);
                }
                return keys.getLong(1);
            }
        }
    }

    static Statement statement(Connection c) throws SQLException {
        return c.createStatement();
    }
}
