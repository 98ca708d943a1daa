package org.histodraw.server;

import java.nio.file.Path;
import org.histodraw.slides.io.SlideLimits;
import org.histodraw.slides.pyramid.TileFormat;

/**
 * Everything the server can be told, with embedded defaults ({@link #defaults()}): data in
 * {@code ./histodraw-data} (slides, uploads and the H2 database), port 8080 on 127.0.0.1.
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
 */
public record ServerConfig(Path dataDir, String bindAddress, int port, String databaseUrl, String databaseUser,
                           String databasePassword, long maxUploadBytes, int iiifMaxSide, TileFormat tileFormat,
                           int passwordCost, int sessionHours, String adminUser, String adminPassword,
                           long maxSlidePixels) {

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
    }

    /** The configuration without a slide size limit of its own: {@link #DEFAULT_MAX_SLIDE_PIXELS}. */
    public ServerConfig(Path dataDir, String bindAddress, int port, String databaseUrl, String databaseUser,
                        String databasePassword, long maxUploadBytes, int iiifMaxSide, TileFormat tileFormat,
                        int passwordCost, int sessionHours, String adminUser, String adminPassword) {
        this(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes, iiifMaxSide,
                tileFormat, passwordCost, sessionHours, adminUser, adminPassword, DEFAULT_MAX_SLIDE_PIXELS);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("histodraw-data"), "127.0.0.1", 8080, null, null, null,
                DEFAULT_MAX_UPLOAD_BYTES, 2048, TileFormat.JPEG, 10, 24 * 14, null, null);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(dir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(dataDir, bindAddress, p, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withBindAddress(String address) {
        return new ServerConfig(dataDir, address, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(dataDir, bindAddress, port, url, user, password, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withTileFormat(TileFormat format) {
        return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, format, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withPasswordCost(int cost) {
        return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, cost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withMaxUploadBytes(long bytes) {
        return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, bytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, maxSlidePixels);
    }

    public ServerConfig withMaxSlidePixels(long pixels) {
        return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, adminUser, adminPassword, pixels);
    }

    /** The reader limits for ingest: {@link #maxSlidePixels} over the readers' defaults. */
    public SlideLimits slideLimits() {
        return SlideLimits.DEFAULT.withMaxPixels(maxSlidePixels);
    }

    public ServerConfig withAdmin(String user, String password) {
        return new ServerConfig(dataDir, bindAddress, port, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                iiifMaxSide, tileFormat, passwordCost, sessionHours, user, password, maxSlidePixels);
    }

    /** The JDBC URL in force: the configured one or H2 in {@code dataDir/db}. */
    public String effectiveDatabaseUrl() {
        return databaseUrl != null ? databaseUrl : org.histodraw.server.store.Database.h2FileUrl(dataDir.resolve("db"));
    }

    public Path slidesDir() {
        return dataDir.resolve("slides");
    }

    public Path uploadsDir() {
        return dataDir.resolve("uploads");
    }
}
