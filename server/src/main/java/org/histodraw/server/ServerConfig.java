package org.histodraw.server;

import java.nio.file.Path;
import java.util.Set;
import org.histodraw.server.api.ApiSettings;
import org.histodraw.server.auth.RateLimits;
import org.histodraw.server.exchange.ImportLimits;
import org.histodraw.server.store.Database;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * Everything the server can be told, with embedded defaults ({@link #defaults()}): data in
 * {@code ./histodraw-data} (slides, uploads and the H2 database), port 8080 on 127.0.0.1. Change a
 * setting with a {@code withX} method or several at once with {@link #toBuilder()}.
 *
 * @param dataDir          where slides, uploads and (by default) the database live
 * @param bindAddress      the address to listen on; 127.0.0.1 keeps the server local
 * @param port             0 picks a free port (see {@link HistoDrawServer#port()})
 * @param databaseUrl      a JDBC URL, or null for the H2 file database inside {@code dataDir/db}
 * @param databaseUser     user for {@code databaseUrl} (null for H2's default)
 * @param databasePassword password for {@code databaseUrl}
 * @param maxUploadBytes   the largest slide upload accepted ({@link #DEFAULT_MAX_UPLOAD_BYTES} by default;
 *                         larger slides are registered in place with {@code histodraw ingest --link})
 * @param iiifMaxSide      the largest IIIF picture side served (bounds the memory of one request)
 * @param tileFormat       how ingested pyramids are encoded
 * @param passwordCost     bcrypt cost (log2 rounds): 10 by default; tests may lower it
 * @param sessionHours     how long a login lasts
 * @param adminUser        an admin account created at first start when there are no users (null: none)
 * @param adminPassword    its password
 * @param maxSlidePixels   the largest slide (width x height) ingested; larger images, and files that
 *                         claim to be (decompression bombs), are refused before any pixel is decoded
 * @param importLimits     how much a region import may unpack (sizes, counts; see docs/security.md)
 * @param rateLimits       logins per account and per address, cursor messages per connection
 * @param trustedProxies   addresses of the reverse proxies in front (nginx before several
 *                         instances): their {@code X-Forwarded-For} names the client, for the
 *                         login throttle per address; empty by default (the peer is the client)
 */
public record ServerConfig(Path dataDir, String bindAddress, int port, String databaseUrl, String databaseUser,
                           String databasePassword, long maxUploadBytes, int iiifMaxSide, TileFormat tileFormat,
                           int passwordCost, int sessionHours, String adminUser, String adminPassword,
                           long maxSlidePixels, ImportLimits importLimits, RateLimits rateLimits,
                           Set<String> trustedProxies) {

    /** 2^33 pixels, about 92k x 92k: bigger than whole-slide scans at 40x, far below what a bomb claims. */
    public static final long DEFAULT_MAX_SLIDE_PIXELS = 1L << 33;

    /**
     * 32 GiB: the largest slide {@link #DEFAULT_MAX_SLIDE_PIXELS} admits, stored without compression
     * (2^33 px x 3 bytes = 24 GiB), with room for its pyramid; JPEG-tiled 40x scans are 1-10 GB.
     */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 32L << 30;

    public ServerConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must be given");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive: " + maxUploadBytes);
        }
        if (iiifMaxSide < 64) {
            throw new IllegalArgumentException("iiifMaxSide must be at least 64: " + iiifMaxSide);
        }
        if (passwordCost < 4 || passwordCost > 31) {
            throw new IllegalArgumentException("passwordCost must be 4..31: " + passwordCost);
        }
        if (sessionHours < 1) {
            throw new IllegalArgumentException("sessionHours must be positive: " + sessionHours);
        }
        if ((adminUser == null) != (adminPassword == null)) {
            throw new IllegalArgumentException("adminUser and adminPassword go together");
        }
        if (maxSlidePixels < 1) {
            throw new IllegalArgumentException("maxSlidePixels must be positive: " + maxSlidePixels);
        }
        if (importLimits == null || rateLimits == null) {
            throw new IllegalArgumentException("importLimits and rateLimits must be given");
        }
        trustedProxies = Set.copyOf(trustedProxies);
    }

    public static ServerConfig defaults() {
        return new Builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServerConfig withDataDir(Path dir) {
        return toBuilder().dataDir(dir).build();
    }

    public ServerConfig withPort(int p) {
        return toBuilder().port(p).build();
    }

    public ServerConfig withBindAddress(String address) {
        return toBuilder().bindAddress(address).build();
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return toBuilder().database(url, user, password).build();
    }

    public ServerConfig withTileFormat(TileFormat format) {
        return toBuilder().tileFormat(format).build();
    }

    public ServerConfig withPasswordCost(int cost) {
        return toBuilder().passwordCost(cost).build();
    }

    public ServerConfig withMaxUploadBytes(long bytes) {
        return toBuilder().maxUploadBytes(bytes).build();
    }

    public ServerConfig withMaxSlidePixels(long pixels) {
        return toBuilder().maxSlidePixels(pixels).build();
    }

    public ServerConfig withAdmin(String user, String password) {
        return toBuilder().admin(user, password).build();
    }

    public ServerConfig withImportLimits(ImportLimits limits) {
        return toBuilder().importLimits(limits).build();
    }

    public ServerConfig withRateLimits(RateLimits limits) {
        return toBuilder().rateLimits(limits).build();
    }

    public ServerConfig withTrustedProxies(Set<String> addresses) {
        return toBuilder().trustedProxies(addresses).build();
    }

    /** The reader limits for ingest: {@link #maxSlidePixels} over the readers' defaults. */
    public SlideLimits slideLimits() {
        return SlideLimits.DEFAULT.withMaxPixels(maxSlidePixels);
    }

    /** What the HTTP layer needs to know. */
    public ApiSettings apiSettings() {
        return new ApiSettings(iiifMaxSide, maxUploadBytes, importLimits, rateLimits, trustedProxies);
    }

    /** The JDBC URL in force: the configured one or H2 in {@code dataDir/db}. */
    public String effectiveDatabaseUrl() {
        return databaseUrl != null ? databaseUrl : Database.h2FileUrl(dataDir.resolve("db"));
    }

    public Path slidesDir() {
        return dataDir.resolve("slides");
    }

    public Path uploadsDir() {
        return dataDir.resolve("uploads");
    }

    /** Sets several fields at once; starts from the defaults or from a configuration. */
    public static final class Builder {
        private Path dataDir = Path.of("histodraw-data");
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private int iiifMaxSide = 2048;
        private TileFormat tileFormat = TileFormat.JPEG;
        private int passwordCost = 10;
        private int sessionHours = 24 * 14;
        private String adminUser;
        private String adminPassword;
        private long maxSlidePixels = DEFAULT_MAX_SLIDE_PIXELS;
        private ImportLimits importLimits = ImportLimits.DEFAULT;
        private RateLimits rateLimits = RateLimits.DEFAULT;
        private Set<String> trustedProxies = Set.of();

        public Builder() {
        }

        Builder(ServerConfig c) {
            dataDir = c.dataDir;
            bindAddress = c.bindAddress;
            port = c.port;
            databaseUrl = c.databaseUrl;
            databaseUser = c.databaseUser;
            databasePassword = c.databasePassword;
            maxUploadBytes = c.maxUploadBytes;
            iiifMaxSide = c.iiifMaxSide;
            tileFormat = c.tileFormat;
            passwordCost = c.passwordCost;
            sessionHours = c.sessionHours;
            adminUser = c.adminUser;
            adminPassword = c.adminPassword;
            maxSlidePixels = c.maxSlidePixels;
            importLimits = c.importLimits;
            rateLimits = c.rateLimits;
            trustedProxies = c.trustedProxies;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder database(String url, String user, String password) {
            databaseUrl = url;
            databaseUser = user;
            databasePassword = password;
            return this;
        }

        public Builder maxUploadBytes(long v) {
            maxUploadBytes = v;
            return this;
        }

        public Builder iiifMaxSide(int v) {
            iiifMaxSide = v;
            return this;
        }

        public Builder tileFormat(TileFormat v) {
            tileFormat = v;
            return this;
        }

        public Builder passwordCost(int v) {
            passwordCost = v;
            return this;
        }

        public Builder sessionHours(int v) {
            sessionHours = v;
            return this;
        }

        public Builder admin(String user, String password) {
            adminUser = user;
            adminPassword = password;
            return this;
        }

        public Builder maxSlidePixels(long v) {
            maxSlidePixels = v;
            return this;
        }

        public Builder importLimits(ImportLimits v) {
            importLimits = v;
            return this;
        }

        public Builder rateLimits(RateLimits v) {
            rateLimits = v;
            return this;
        }

        public Builder trustedProxies(Set<String> v) {
            trustedProxies = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                    iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels,
                    importLimits, rateLimits, trustedProxies);
        }
    }
}
