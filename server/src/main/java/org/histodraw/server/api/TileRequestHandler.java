package org.histodraw.server.api;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.histodraw.server.auth.AccessControl;
import org.histodraw.server.auth.Authenticator;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Slice;
import org.histodraw.server.tiles.SlideTiles;
import org.histodraw.server.tiles.Tile;

/**
 * The fast way for Deep Zoom tiles: a Jetty handler placed before Javalin that answers a GET or
 * HEAD of {@code /slides/{id}/slide_files/{level}/{column}_{row}.{ext}} (200 with the bytes, or 304)
 * when the caller may read the slice and the tile exists, without the servlet layer and Javalin's
 * routing. Everything else (other paths, odd spellings, a bad token, no access, no tile) it leaves
 * to the regular route in {@link TileRoutes}, which applies the same checks and answers the error,
 * so both ways always agree on who gets what.
 *
 * <p>What a tile costs here, beyond Jetty's own work: the path is parsed by hand (no pattern, no
 * strings), the caller's access is decided from memory ({@link Authenticator}, {@link AccessControl}),
 * and the bytes are written without a copy on the heap: a tile the file stores is read by one
 * positional read into a pooled direct buffer, given back once written; a cut tile comes from the
 * cache, where it is kept off the heap.
 */
public final class TileRequestHandler extends Handler.Abstract {
    private static final String PREFIX = "/slides/";
    private static final String FILES = "/slide_files/";
    private static final HttpField PUBLIC = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, TileRoutes.PUBLIC_TILES);
    private static final HttpField PRIVATE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, TileRoutes.PRIVATE_TILES);

    private final SlideTiles tiles;
    private final Authenticator auth;
    private final AccessControl access;

    public TileRequestHandler(SlideTiles tiles, Authenticator auth, AccessControl access) {
        this.tiles = tiles;
        this.auth = auth;
        this.access = access;
    }

    /** A tile path's numbers: {@code /slides/{slice}/slide_files/{level}/{column}_{row}.{ext}}. */
    record TilePath(long slice, int level, int column, int row, String extension) {

        /**
         * The path's parts when it is spelled exactly as above (slice id of 1-18 digits, level of 1-2,
         * column and row of 1-7, extension jpg, jpeg or png); null for anything else, which the
         * regular route then judges.
         */
        static TilePath parse(String path) {
            if (path == null || !path.startsWith(PREFIX)) {
                return null;
            }
            int i = PREFIX.length();
            int end = digits(path, i, 18);
            if (end < 0 || !path.startsWith(FILES, end)) {
                return null;
            }
            long slice = Long.parseLong(path, i, end, 10);
            i = end + FILES.length();
            end = digits(path, i, 2);
            if (end < 0 || end >= path.length() || path.charAt(end) != '/') {
                return null;
            }
            int level = Integer.parseInt(path, i, end, 10);
            i = end + 1;
            end = digits(path, i, 7);
            if (end < 0 || end >= path.length() || path.charAt(end) != '_') {
                return null;
            }
            int column = Integer.parseInt(path, i, end, 10);
            i = end + 1;
            end = digits(path, i, 7);
            if (end < 0 || end >= path.length() || path.charAt(end) != '.') {
                return null;
            }
            int row = Integer.parseInt(path, i, end, 10);
            String ext = switch (path.substring(end + 1)) {
                case "jpg", "jpeg" -> "jpg";
                case "png" -> "png";
                default -> null;
            };
            return ext == null ? null : new TilePath(slice, level, column, row, ext);
        }

        /** The end of a run of 1..max ASCII digits from {@code from}, or -1. */
        private static int digits(String s, int from, int max) {
            int i = from;
            while (i < s.length() && i - from <= max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i == from || i - from > max ? -1 : i;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return false;
        }
        TilePath path = TilePath.parse(request.getHttpURI().getPath());
        if (path == null) {
            return false;
        }
        HttpFields headers = request.getHeaders();
        Buffers buffers = new Buffers(request.getComponents().getByteBufferPool());
        Tile tile;
        boolean publicRead;
        try {
            Optional<Slice> found = tiles.slice(path.slice());
            if (found.isEmpty() || !path.extension().equals(found.get().format().extension())) {
                return false;
            }
            Slice slice = found.get();
            Principal p = auth.authenticate(headers.get(HttpHeader.AUTHORIZATION), sessionCookie(request), null);
            access.require(p, slice.projectId(), Role.VIEWER);
            if (!tiles.fixedLook(slice)) {
                return false; // tiles drawn through display settings are revalidated: the route says so
            }
            publicRead = TileRoutes.publicRead(access, slice);
            Optional<Tile> t = tiles.tile(slice, path.level(), path.column(), path.row(), buffers);
            if (t.isEmpty()) {
                buffers.giveBack();
                return false;
            }
            tile = t.get();
        } catch (RuntimeException e) {
            buffers.giveBack();
            return false; // the route answers with the error
        }
        HttpFields.Mutable out = response.getHeaders();
        out.put(HttpHeader.ETAG, tile.etag());
        out.put(HttpHeader.LAST_MODIFIED, tile.lastModifiedHttp());
        out.put(publicRead ? PUBLIC : PRIVATE);
        if (ConditionalRequest.notModified(headers.get(HttpHeader.IF_NONE_MATCH), headers.get(HttpHeader.IF_MODIFIED_SINCE), tile)) {
            buffers.giveBack();
            response.setStatus(304);
            response.write(true, null, callback);
            return true;
        }
        response.setStatus(200);
        out.put(HttpHeader.CONTENT_TYPE, tile.mediaType());
        out.put(HttpHeader.CONTENT_LENGTH, tile.length());
        if (head) {
            buffers.giveBack();
            response.write(true, null, callback);
        } else {
            response.write(true, tile.body(), buffers.givingBackWhenDone(callback));
        }
        return true;
    }

    /**
     * Direct buffers of Jetty's pool lent for one stored tile, given back once it is written. Tiles
     * larger than the pool's largest buffer (the pool would allocate a fresh direct buffer each time,
     * which costs more than a copy) are read into the heap.
     */
    private static final class Buffers implements SlideTiles.TileBuffers {
        private final ByteBufferPool pool;
        private RetainableByteBuffer lent;

        Buffers(ByteBufferPool pool) {
            this.pool = pool;
        }

        @Override
        public ByteBuffer borrow(int size) {
            giveBack();
            int pooled = pool instanceof ArrayByteBufferPool a ? a.getMaxCapacity() : 0;
            if (size > pooled) {
                return ByteBuffer.allocate(size);
            }
            lent = pool.acquire(size, true);
            ByteBuffer b = lent.getByteBuffer();
            b.clear();
            return b;
        }

        void giveBack() {
            if (lent != null) {
                lent.release();
                lent = null;
            }
        }

        Callback givingBackWhenDone(Callback callback) {
            if (lent == null) {
                return callback;
            }
            return new Callback() {
                @Override
                public void succeeded() {
                    giveBack();
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    giveBack();
                    callback.failed(x);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            };
        }
    }

    private static String sessionCookie(Request request) {
        if (!request.getHeaders().contains(HttpHeader.COOKIE)) {
            return null;
        }
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) {
            if (Authenticator.SESSION_COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }
}
