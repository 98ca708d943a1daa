package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.auth.TooManyAttempts;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.Slice;
import org.histodraw.server.store.UploadQuota;
import org.histodraw.server.tiles.IngestJob;
import org.histodraw.server.tiles.Tile;

/**
 * Slices: upload (streamed to disk by Jetty, moved into the data folder, checked from its headers, registered at once),
 * what the file knows (format, vendor, objective power, pixel size, associated images), the owner's
 * edits of name and pixel size, and ingest jobs.
 */
final class SliceRoutes {
    private final Backend b;
    private final UploadQuota uploads;

    SliceRoutes(Backend b) {
        this.b = b;
        this.uploads = new UploadQuota(b.db());
    }

    void register(RouteTable routes) {
        routes.post("/api/v1/series/{s}/slices", this::upload);
        routes.get("/api/v1/slices/{id}", this::slice);
        routes.patch("/api/v1/slices/{id}", this::update);
        routes.get("/api/v1/slices/{id}/associated/{name}", this::associated);
        routes.get("/api/v1/jobs/{jobId}", this::job);
    }

    private Principal principal(Context ctx) {
        return Http.principal(ctx, b.auth());
    }

    private Slice sliceFor(Context ctx, Role needed) {
        long id = Http.id(ctx, "id");
        Slice s = b.slides().slice(id).orElseThrow(() -> ApiError.notFound("no slice " + id));
        b.access().require(principal(ctx), s.projectId(), needed);
        return s;
    }

    /** The slice as the API shows it, with what its file says about itself. */
    static Map<String, Object> sliceView(Slice s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("seriesId", s.seriesId());
        out.put("projectId", s.projectId());
        out.put("name", s.name());
        out.put("position", s.position());
        out.put("width", s.width());
        out.put("height", s.height());
        out.put("micronsPerPixel", s.micronsPerPixel());
        out.put("format", s.source().format());
        out.put("vendor", s.source().vendor());
        out.put("objectivePower", s.source().objectivePower());
        out.put("associatedImages", s.source().associatedImages().isEmpty() ? List.of("thumbnail")
                : s.source().associatedImages());
        out.put("dzi", "/slides/" + s.id() + "/slide.dzi");
        out.put("iiif", "/iiif/3/" + s.id());
        out.put("seq", s.changeSeq());
        return out;
    }

    private void upload(Context ctx) {
        long seriesId = Http.id(ctx, "s");
        Series s = b.slides().series(seriesId).orElseThrow(() -> ApiError.notFound("no series " + seriesId));
        b.access().require(principal(ctx), s.projectId(), Role.EDITOR);
        long uploader = principal(ctx).userId();
        int allowed = b.settings().rateLimits().uploadsPerUser();
        long waiting = uploads.active(uploader);
        if (waiting >= allowed) {
            throw new TooManyAttempts("you have " + waiting + " uploads waiting or being ingested (at most " + allowed
                    + "); upload more when they are done", 10);
        }
        long limit = b.settings().maxUploadBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit + UPLOAD_FIELDS_BYTES) {
            throw tooLarge(declared, limit); // answered before a byte of the body is read
        }
        if (!ctx.isMultipartFormData()) {
            throw ApiError.badRequest("upload a slide as multipart/form-data with a field \"file\"");
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) { // Javalin passes Jetty's ServletException on unchecked; rethrown as it came
            // A body without a length (chunked) is cut off by the multipart parser at the limit.
            if (causes(e, "max file size exceeded") || causes(e, "max request size exceeded")) {
                throw tooLarge(-1, limit);
            }
            throw e;
        }
        if (file == null) {
            throw ApiError.badRequest("multipart upload lacks the field \"file\"");
        }
        String name = ctx.formParam("name");
        if (name == null || name.isBlank()) {
            name = file.filename() == null || file.filename().isBlank() ? "slice" : file.filename();
        }
        Double position = number(ctx.formParam("position"), "position");
        Double micronsPerPixel = number(ctx.formParam("micronsPerPixel"), "micronsPerPixel");
        if (micronsPerPixel != null && !(micronsPerPixel > 0 && micronsPerPixel < 1e6)) {
            throw ApiError.badRequest("micronsPerPixel must be a positive number of microns: " + micronsPerPixel);
        }
        String sliceName = name.length() > 200 ? name.substring(0, 200) : name;
        // The original keeps the extension of the name it came with (OpenSlide recognises some formats by it).
        String fileName = file.filename() == null ? sliceName : file.filename();
        // Jetty spooled the file in the data folder's tmp: Part.write moves it into place (a rename on
        // the same disk, a copy otherwise) and Jetty then has no spool file of the slide's size to delete.
        Part part;
        try {
            part = ctx.req().getPart("file");
        } catch (IOException | ServletException e) {
            throw new UncheckedIOException("could not read the upload: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        IngestJob job = b.ingest().submitUpload(s.id(), s.projectId(), target -> part.write(target.toString()), fileName,
                sliceName, position, micronsPerPixel);
        uploads.owner(job.id(), uploader);
        ctx.header("Location", "/api/v1/jobs/" + job.id());
        Http.json(ctx, 202, job.view());
    }

    /** Room for the form's other fields and the multipart framing, beyond the file itself. */
    static final long UPLOAD_FIELDS_BYTES = 1 << 20;

    private static ApiError tooLarge(long declared, long limit) {
        return new ApiError(413, "the upload" + (declared >= 0 ? " (" + size(declared) + ")" : "")
                + " is larger than this server's limit of " + size(limit) + " a slide (histodraw serve --max-upload); "
                + "register a slide this large with `histodraw ingest` on the server's machine (--link reads it where it lies)",
                Map.of("maxUploadBytes", limit));
    }

    /** A byte count as people read it: "8.6 GB", "32 GiB" for round binary sizes, "512 bytes". */
    static String size(long bytes) {
        for (int shift = 40; shift >= 10; shift -= 10) {
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + " " + switch (shift) { case 40 -> "TiB"; case 30 -> "GiB"; case 20 -> "MiB"; default -> "KiB"; };
            }
        }
        if (bytes >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        return bytes >= 1_000_000 ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6) : bytes + " bytes";
    }

    private static boolean causes(Throwable e, String message) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains(message)) {
                return true;
            }
        }
        return false;
    }

    private static Double number(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(field + " must be a number: " + text);
        }
        if (!Double.isFinite(v)) {
            throw ApiError.badRequest(field + " must be a finite number: " + text);
        }
        return v;
    }

    private void slice(Context ctx) {
        Http.json(ctx, sliceView(sliceFor(ctx, Role.VIEWER)));
    }

    /** {@code {"name": "...", "micronsPerPixel": 0.25}} (either; null forgets the pixel size): the project owner. */
    private void update(Context ctx) {
        Slice s = sliceFor(ctx, Role.OWNER);
        ObjectNode body = JsonBody.object(ctx);
        String name = null;
        if (body.has("name")) {
            name = JsonBody.text(body, "name", true);
        }
        Double mpp = null;
        boolean clear = false;
        if (body.has("micronsPerPixel")) {
            JsonNode v = body.get("micronsPerPixel");
            if (v.isNull()) {
                clear = true;
            } else if (!v.isNumber() || !(v.asDouble() > 0 && v.asDouble() < 1e6)) {
                throw ApiError.badRequest("micronsPerPixel must be a positive number of microns (or null): " + v);
            } else {
                mpp = v.asDouble();
            }
        }
        if (name == null && mpp == null && !clear) {
            throw ApiError.badRequest("nothing to change: send name and/or micronsPerPixel");
        }
        Slice updated = b.slides().updateSlice(s.id(), name, mpp, clear);
        b.ingest().tiles().forget(s.id());
        Http.json(ctx, sliceView(updated));
    }

    private void associated(Context ctx) {
        Slice s = sliceFor(ctx, Role.VIEWER);
        String name = ctx.pathParam("name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiError.badRequest("associated image names are letters, digits, '-' and '_': " + name);
        }
        Tile image = b.ingest().tiles().associated(s, name).orElseThrow(() -> ApiError.notFound(
                "slice " + s.id() + " has no associated image " + name + " (it has " + sliceView(s).get("associatedImages") + ")"));
        ctx.header("ETag", image.etag());
        ctx.header("Cache-Control", TileRoutes.cacheControl(b.access(), s, b.ingest().tiles().fixedLook(s)));
        if (ConditionalRequest.notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), image)) {
            ctx.status(304);
            return;
        }
        ctx.disableCompression();
        ctx.contentType(image.mediaType()).result(image.bytes());
    }

    private void job(Context ctx) {
        String id = ctx.pathParam("jobId");
        IngestJob job = b.ingest().job(id).orElseThrow(() -> ApiError.notFound("no job " + id));
        b.access().require(principal(ctx), job.projectId(), Role.VIEWER);
        Http.json(ctx, job.view());
    }
}
