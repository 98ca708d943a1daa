package org.histodraw.server.api;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
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
 */
public final class TileRequestHandler extends Handler.Abstract {
    private static final Pattern TILE = Pattern.compile("/slides/(\\d{1,18})/slide_files/(\\d{1,2})/(\\d{1,7})_(\\d{1,7})\\.(jpg|jpeg|png)");

    private final SlideTiles tiles;
    private final Authenticator auth;
    private final AccessControl access;

    public TileRequestHandler(SlideTiles tiles, Authenticator auth, AccessControl access) {
        this.tiles = tiles;
        this.auth = auth;
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return false;
        }
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith("/slides/")) {
            return false;
        }
        Matcher m = TILE.matcher(path);
        if (!m.matches()) {
            return false;
        }
        HttpFields headers = request.getHeaders();
        Tile tile;
        String cacheControl;
        try {
            Optional<Slice> found = tiles.slice(Long.parseLong(m.group(1)));
            if (found.isEmpty()) {
                return false;
            }
            Slice slice = found.get();
            String ext = m.group(5).equals("jpeg") ? "jpg" : m.group(5);
            if (!ext.equals(slice.format().extension())) {
                return false;
            }
            Principal p = auth.authenticate(headers.get(HttpHeader.AUTHORIZATION), sessionCookie(request), null);
            access.require(p, slice.projectId(), Role.VIEWER);
            Optional<Tile> t = tiles.tile(slice, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
            if (t.isEmpty()) {
                return false;
            }
            tile = t.get();
            cacheControl = TileRoutes.cacheControl(access, slice);
        } catch (RuntimeException e) {
            return false; // the route answers with the error
        }
        HttpFields.Mutable out = response.getHeaders();
        out.put(HttpHeader.ETAG, tile.etag());
        out.put(HttpHeader.LAST_MODIFIED, tile.lastModifiedHttp());
        out.put(HttpHeader.CACHE_CONTROL, cacheControl);
        if (ConditionalRequest.notModified(headers.get(HttpHeader.IF_NONE_MATCH), headers.get(HttpHeader.IF_MODIFIED_SINCE), tile)) {
            response.setStatus(304);
            response.write(true, null, callback);
            return true;
        }
        response.setStatus(200);
        out.put(HttpHeader.CONTENT_TYPE, tile.mediaType());
        out.put(HttpHeader.CONTENT_LENGTH, tile.bytes().length);
        response.write(true, head ? null : ByteBuffer.wrap(tile.bytes()), callback);
        return true;
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
