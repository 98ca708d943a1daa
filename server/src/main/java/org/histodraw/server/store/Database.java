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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and schema: H2 (embedded file database) or PostgreSQL, migrated by Flyway at
 * start. Work runs in {@link #transaction} (all or nothing) or {@link #read}.
 *
 * <p>Durability: a transaction that returned has been written where a crash of the server process
 * ({@code kill -9}) cannot take it back. H2 runs with {@code WRITE_DELAY=0}: its MVStore then
 * stores each commit in the calling thread before the commit returns (with the default delay the
 * last half second of commits lived only in memory and was lost by a crash). PostgreSQL sessions
 * run with {@code synchronous_commit} at least {@code on} (the WAL is flushed before a commit
 * returns), whatever the server's default.
 *
 * <p>A request can never leave the database closed for the others: should H2 close itself (it does
 * when it runs out of memory inside a statement), the pool's connections are evicted and the next
 * connection opens the database again; the request that met the closed database gets a
 * {@link DatabaseUnavailable} (503), reads are retried once.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** H2's error codes for a database that closed itself (90098) or is shutting down (90121). */
    private static final Set<Integer> H2_CLOSED = Set.of(90098, 90121);
    /** For PostgreSQL: raise synchronous_commit to on when the server's default is off (never lower it). */
    static final String PG_DURABLE_COMMITS = "SELECT set_config('synchronous_commit', CASE current_setting('synchronous_commit') "
            + "WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, false)";
    /** The dialects we write SQL for; the SQL itself is kept to what both accept. */
    public enum Dialect { H2, POSTGRESQL }

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String instanceId = java.util.UUID.randomUUID().toString();
    private final Broadcast broadcast;
    private final boolean exclusiveFile;

    private Database(HikariDataSource pool, Dialect dialect, String url, String user, String password) {
        this.pool = pool;
        this.dialect = dialect;
        this.exclusiveFile = dialect == Dialect.H2 && !url.matches("(?i)jdbc:h2:(tcp|ssl):.*") && !url.matches("(?i).*;AUTO_SERVER=TRUE.*");
        this.broadcast = new Broadcast(this, url, user, password, dialect == Dialect.POSTGRESQL);
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
        if (dialect == Dialect.H2) {
            url = durableH2(url);
        } else {
            config.setConnectionInitSql(PG_DURABLE_COMMITS);
        }
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("histodraw");
        config.setAutoCommit(true);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw inUse(e, url).orElseThrow(() -> e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            if (dialect == Dialect.POSTGRESQL) {
                warnIfNotDurable(pool);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect, url, user, password);
    }

    /**
     * H2's "database may be already in use" (error 90020: another process holds the file) said as
     * what it means for HistoDraw: a second server on one H2 database.
     */
    private static Optional<DatabaseInUse> inUse(Throwable e, String url) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
                return Optional.of(new DatabaseInUse("the H2 database " + url.replaceFirst(";.*", "")
                        + " is in use by another HistoDraw server (or another program); H2 serves one instance only: "
                        + "stop the other one, or run several instances on one PostgreSQL database (--database jdbc:postgresql://...)", e));
            }
        }
        return Optional.empty();
    }

    /** An H2 URL with WRITE_DELAY=0 (a file database); a URL that asks for a delay is refused. */
    static String durableH2(String url) {
        if (url.startsWith("jdbc:h2:mem:")) {
            return url;
        }
        Matcher m = Pattern.compile("(?i);WRITE_DELAY=(\\d+)").matcher(url);
        if (m.find()) {
            if (!m.group(1).equals("0")) {
                throw new IllegalArgumentException("the database URL sets WRITE_DELAY=" + m.group(1)
                        + ": HistoDraw needs WRITE_DELAY=0 so that acknowledged writes survive a crash");
            }
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }

    private static void warnIfNotDurable(DataSource pool) {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            if (rs.next() && !"on".equals(rs.getString(1))) {
                LOG.warn("PostgreSQL runs with fsync={}: commits survive a crash of HistoDraw or of PostgreSQL, "
                        + "not a crash of the machine", rs.getString(1));
            }
        } catch (SQLException e) {
            LOG.warn("cannot read PostgreSQL's durability settings: {}", e.getMessage());
        }
    }

    /**
     * The H2 URL for a file database under {@code dir}, with identifiers folded to lower case as in
     * PostgreSQL and every commit stored before it returns.
     */
    public static String h2FileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("histodraw") + ";DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Whether the database is a file only this process can open (embedded H2, which locks its
     * file): a second instance cannot exist, whatever the instance table says after a crash.
     */
    public boolean exclusiveFile() {
        return exclusiveFile;
    }

    /**
     * This server instance's id (random per start): on its notices, its row in
     * {@code server_instances} and the jobs it claims.
     */
    public String instanceId() {
        return instanceId;
    }

    /** Notices to and from the other server instances on this database (nothing travels on H2). */
    public Broadcast broadcast() {
        return broadcast;
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
                    throw failure(sql);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
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

    /** Runs read-only work on a connection in auto-commit mode (once more if the database had closed itself). */
    public <T> T read(Work<T> work) {
        try {
            return readOnce(work);
        } catch (DatabaseUnavailable e) {
            return readOnce(work);
        }
    }

    private <T> T readOnce(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The exception for a failed statement. When H2 closed itself, the pool's connections (all on
     * the closed database) are evicted so that the next one opens it again.
     */
    private StoreException failure(SQLException e) {
        if (dialect == Dialect.H2 && closedDatabase(e)) {
            LOG.warn("H2 closed the database ({}); reopening it with fresh connections", e.getMessage());
            pool.getHikariPoolMXBean().softEvictConnections();
            return new DatabaseUnavailable("the database was reopened after a failure; try again", e);
        }
        return new StoreException("database error: " + e.getMessage(), e);
    }

    private static boolean closedDatabase(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && H2_CLOSED.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
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
        broadcast.close();
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
