package org.histodraw.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.histodraw.server.auth.Principal;
import org.histodraw.server.store.Jackson;
import org.histodraw.server.store.Project;
import org.histodraw.server.store.Role;
import org.histodraw.server.store.Series;
import org.histodraw.server.store.User;

/** Projects, members, tokens, ontology, series and services (slices: {@link SliceRoutes}). */
final class ProjectRoutes {
    private final Backend b;

    ProjectRoutes(Backend b) {
        this.b = b;
    }

    void register(RouteTable routes) {
        routes.get("/api/v1/projects", this::projects);
        routes.post("/api/v1/projects", this::createProject);
        routes.get("/api/v1/projects/{p}", this::project);
        routes.put("/api/v1/projects/{p}", this::updateProject);
        routes.get("/api/v1/projects/{p}/members", this::members);
        routes.put("/api/v1/projects/{p}/members/{user}", this::setMember);
        routes.delete("/api/v1/projects/{p}/members/{user}", this::removeMember);
        routes.get("/api/v1/projects/{p}/ontology", this::ontology);
        routes.put("/api/v1/projects/{p}/ontology", this::setOntology);
        routes.get("/api/v1/projects/{p}/series", this::seriesList);
        routes.post("/api/v1/projects/{p}/series", this::createSeries);
        routes.get("/api/v1/series/{s}", this::series);
        routes.get("/api/v1/services", this::services);
        routes.post("/api/v1/services", this::registerService);
    }

    private Principal principal(Context ctx) {
        return Http.principal(ctx, b.auth());
    }

    private Project projectFor(Context ctx, Role needed) {
        long id = Http.id(ctx, "p");
        Project project = b.projects().project(id).orElseThrow(() -> ApiError.notFound("no project " + id));
        b.access().require(principal(ctx), id, needed);
        return project;
    }

    private void projects(Context ctx) {
        Principal p = principal(ctx);
        List<Project> visible = b.projects().visibleTo(p.userId(), p.admin());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Project project : visible) {
            if (p.token() == null || p.token().projectId() == project.id() || project.publicRead()) {
                out.add(view(project, b.access().roleIn(p, project.id())));
            }
        }
        Http.json(ctx, out);
    }

    private void createProject(Context ctx) {
        Principal p = principal(ctx);
        if (p.anonymous()) {
            throw ApiError.unauthorized("log in to create a project");
        }
        if (p.token() != null) {
            throw ApiError.forbidden("API tokens belong to one project and cannot create projects");
        }
        ObjectNode body = JsonBody.object(ctx);
        Project project = b.projects().create(JsonBody.text(body, "name", true), JsonBody.text(body, "description", false),
                Boolean.TRUE.equals(JsonBody.bool(body, "publicRead")), p.userId());
        Http.json(ctx, 201, view(project, Role.OWNER));
    }

    private void project(Context ctx) {
        Project project = projectFor(ctx, Role.VIEWER);
        Map<String, Object> out = view(project, b.access().roleIn(principal(ctx), project.id()));
        out.put("stain", b.projects().stain(project.id()));
        out.put("series", b.slides().seriesOf(project.id()).stream()
                .map(s -> Map.<String, Object>of("id", s.id(), "name", s.name())).toList());
        Http.json(ctx, out);
    }

    private void updateProject(Context ctx) {
        Project project = projectFor(ctx, Role.OWNER);
        ObjectNode body = JsonBody.object(ctx);
        Boolean publicRead = JsonBody.bool(body, "publicRead");
        if (publicRead != null) {
            b.projects().setPublicRead(project.id(), publicRead);
            b.access().changed(project.id());
        }
        String stain = JsonBody.text(body, "stain", false);
        if (stain != null) {
            b.projects().setStain(project.id(), stain);
        }
        Project updated = b.projects().project(project.id()).orElseThrow();
        Map<String, Object> out = view(updated, b.access().roleIn(principal(ctx), project.id()));
        out.put("stain", b.projects().stain(project.id()));
        Http.json(ctx, out);
    }

    static Map<String, Object> view(Project p, Role role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("name", p.name());
        out.put("description", p.description());
        out.put("publicRead", p.publicRead());
        out.put("role", role == null ? null : role.wire());
        return out;
    }

    private void members(Context ctx) {
        Project project = projectFor(ctx, Role.VIEWER);
        Http.json(ctx, b.projects().memberList(project.id()));
    }

    private void setMember(Context ctx) {
        Project project = projectFor(ctx, Role.OWNER);
        User user = userNamed(ctx.pathParam("user"));
        Role role = Role.parse(JsonBody.text(JsonBody.object(ctx), "role", true));
        b.projects().setRole(project.id(), user.id(), role);
        b.access().changed(project.id());
        Http.json(ctx, Map.of("user", AccountRoutes.view(user), "role", role.wire()));
    }

    private void removeMember(Context ctx) {
        Project project = projectFor(ctx, Role.OWNER);
        User user = userNamed(ctx.pathParam("user"));
        b.projects().setRole(project.id(), user.id(), null);
        b.access().changed(project.id());
        b.auth().forgetUser(user.id());
        ctx.status(204);
    }

    private User userNamed(String name) {
        return b.accounts().userByName(name).orElseThrow(() -> ApiError.notFound("no user named " + name));
    }

    private void ontology(Context ctx) {
        Project project = projectFor(ctx, Role.VIEWER);
        ctx.contentType("application/json").result(b.projects().ontology(project.id()));
    }

    private void setOntology(Context ctx) {
        Project project = projectFor(ctx, Role.OWNER);
        JsonNode body = JsonBody.parse(ctx.body());
        String json = Jackson.write(validOntology(body));
        b.projects().setOntology(project.id(), json);
        ctx.contentType("application/json").result(json);
    }

    /** Checks an ontology: unique names, #rrggbb colours, parents that exist, no cycles. */
    static List<Map<String, Object>> validOntology(JsonNode body) {
        JsonNode list = body.isObject() && body.has("classes") ? body.get("classes") : body;
        if (!list.isArray()) {
            throw ApiError.badRequest("ontology must be a JSON array of {name, color, parent?}, got " + JsonBody.kind(list));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> parents = new HashMap<>();
        int i = 0;
        for (JsonNode c : list) {
            if (!c.isObject()) {
                throw ApiError.badRequest("ontology entry " + i + " must be an object, got " + JsonBody.kind(c));
            }
            String name = JsonBody.text(c, "name", true);
            String color = JsonBody.text(c, "color", true);
            String parent = JsonBody.text(c, "parent", false);
            if (name.isBlank() || name.length() > 200) {
                throw ApiError.badRequest("ontology entry " + i + ": name must be 1-200 characters");
            }
            if (!color.matches("#[0-9a-fA-F]{6}")) {
                throw ApiError.badRequest("ontology entry " + i + " (" + name + "): color must be #rrggbb, got " + color);
            }
            if (parents.containsKey(name)) {
                throw ApiError.badRequest("ontology names must be unique: " + name + " appears twice");
            }
            parents.put(name, parent);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("color", color.toLowerCase(Locale.ROOT));
            if (parent != null) {
                entry.put("parent", parent);
            }
            out.add(entry);
            i++;
        }
        for (Map.Entry<String, String> e : parents.entrySet()) {
            Set<String> seen = new HashSet<>();
            String at = e.getKey();
            while (at != null) {
                if (!seen.add(at)) {
                    throw ApiError.badRequest("ontology parents form a cycle through " + at);
                }
                String parent = parents.get(at);
                if (parent != null && !parents.containsKey(parent)) {
                    throw ApiError.badRequest("ontology class " + at + " has unknown parent " + parent);
                }
                at = parent;
            }
        }
        return out;
    }

    private void seriesList(Context ctx) {
        Project project = projectFor(ctx, Role.VIEWER);
        Http.json(ctx, b.slides().seriesOf(project.id()).stream().map(this::seriesView).toList());
    }

    private void createSeries(Context ctx) {
        Project project = projectFor(ctx, Role.EDITOR);
        Series s = b.slides().createSeries(project.id(), JsonBody.text(JsonBody.object(ctx), "name", true));
        Http.json(ctx, 201, seriesView(s));
    }

    private Series seriesFor(Context ctx, Role needed) {
        long id = Http.id(ctx, "s");
        Series s = b.slides().series(id).orElseThrow(() -> ApiError.notFound("no series " + id));
        b.access().require(principal(ctx), s.projectId(), needed);
        return s;
    }

    private void series(Context ctx) {
        Http.json(ctx, seriesView(seriesFor(ctx, Role.VIEWER)));
    }

    private Map<String, Object> seriesView(Series s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("projectId", s.projectId());
        out.put("name", s.name());
        out.put("slices", b.slides().slicesOf(s.id()).stream().map(SliceRoutes::sliceView).toList());
        return out;
    }

    private void services(Context ctx) {
        if (principal(ctx).anonymous()) {
            throw ApiError.unauthorized("log in or send an API token to list services");
        }
        Http.json(ctx, b.slides().services());
    }

    private void registerService(Context ctx) {
        AccountRoutes.requireAdmin(principal(ctx));
        ObjectNode body = JsonBody.object(ctx);
        Http.json(ctx, 201, b.slides().addService(JsonBody.text(body, "name", true), JsonBody.text(body, "url", true)));
    }
}
