package org.histodraw.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.geojson.Classification;

/** Projects, their members and roles, and their ontology (kept as validated JSON text). */
public final class Projects {
    private static final String COLUMNS = "p.id, p.name, p.description, p.public_read, p.created_at";
    private final Database db;

    public Projects(Database db) {
        this.db = db;
    }

    /** A new project with {@code ownerId} as its owner. */
    public Project create(String name, String description, boolean publicRead, long ownerId) {
        checkName(name, "project name");
        String desc = description == null ? "" : description;
        if (desc.length() > 2000) {
            throw new InvalidInput("project description is longer than 2000 characters: " + desc.length());
        }
        return db.transaction(c -> {
            long now = System.currentTimeMillis();
            long id = Database.insert(c, "INSERT INTO projects (name, description, public_read, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    name, desc, publicRead, ownerId, now);
            Database.update(c, "INSERT INTO members (project_id, user_id, role) VALUES (?, ?, ?)", id, ownerId, Role.OWNER.wire());
            return new Project(id, name, desc, publicRead, now);
        });
    }

    public Optional<Project> project(long id) {
        return db.read(c -> Database.one(c, "SELECT " + COLUMNS + " FROM projects p WHERE p.id = ?", Projects::project, id));
    }

    /** Projects the user is a member of, and public ones; all when {@code admin}; public only when user is null. */
    public List<Project> visibleTo(Long userId, boolean admin) {
        if (admin) {
            return db.read(c -> Database.list(c, "SELECT " + COLUMNS + " FROM projects p ORDER BY p.id", Projects::project));
        }
        return db.read(c -> Database.list(c, "SELECT " + COLUMNS + " FROM projects p WHERE p.public_read OR EXISTS "
                + "(SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?) ORDER BY p.id",
                Projects::project, userId == null ? -1L : userId));
    }

    /** The stains a project's slides may have: he (hematoxylin, eosin), hdab (hematoxylin, DAB), rgb. */
    public static final List<String> STAINS = List.of("he", "hdab", "rgb");

    /** The project's stain (he when never set). */
    public String stain(long projectId) {
        return db.read(c -> Database.one(c, "SELECT stain FROM projects WHERE id = ?", rs -> rs.getString(1), projectId)).orElse("he");
    }

    public void setStain(long projectId, String stain) {
        if (!STAINS.contains(stain)) {
            throw new InvalidInput("stain must be one of " + STAINS + ": " + stain);
        }
        db.transaction(c -> Database.update(c, "UPDATE projects SET stain = ? WHERE id = ?", stain, projectId));
    }

    public void setPublicRead(long projectId, boolean publicRead) {
        db.transaction(c -> Database.update(c, "UPDATE projects SET public_read = ? WHERE id = ?", publicRead, projectId));
    }

    /** Members by user id. */
    public Map<Long, Role> members(long projectId) {
        return db.read(c -> {
            Map<Long, Role> out = new LinkedHashMap<>();
            for (Object[] row : Database.list(c, "SELECT user_id, role FROM members WHERE project_id = ? ORDER BY user_id",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, projectId)) {
                out.put((Long) row[0], Role.parse((String) row[1]));
            }
            return out;
        });
    }

    /** Members with their names, for display. */
    public List<Map<String, Object>> memberList(long projectId) {
        return db.read(c -> Database.list(c, "SELECT u.id, u.username, m.role FROM members m JOIN users u ON u.id = m.user_id "
                + "WHERE m.project_id = ? ORDER BY u.username",
                rs -> Map.<String, Object>of("id", rs.getLong(1), "username", rs.getString(2), "role", rs.getString(3)), projectId));
    }

    /**
     * Gives a user a role in the project (null removes them, and revokes the tokens they made for
     * it in the same transaction). Refuses to leave the project without an owner.
     */
    public void setRole(long projectId, long userId, Role role) {
        db.transaction(c -> {
            Database.one(c, "SELECT id FROM projects WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), projectId)
                    .orElseThrow(() -> new NotFound("no project " + projectId));
            Optional<String> current = Database.one(c, "SELECT role FROM members WHERE project_id = ? AND user_id = ?",
                    rs -> rs.getString(1), projectId, userId);
            if (current.isPresent() && current.get().equals(Role.OWNER.wire()) && role != Role.OWNER) {
                long owners = Database.one(c, "SELECT COUNT(*) FROM members WHERE project_id = ? AND role = ?",
                        rs -> rs.getLong(1), projectId, Role.OWNER.wire()).orElse(0L);
                if (owners <= 1) {
                    throw new Conflict("a project needs at least one owner: give another member the owner role first");
                }
            }
            if (role == null) {
                Accounts.revokeTokensOf(c, userId, projectId);
                return Database.update(c, "DELETE FROM members WHERE project_id = ? AND user_id = ?", projectId, userId);
            }
            if (current.isPresent()) {
                return Database.update(c, "UPDATE members SET role = ? WHERE project_id = ? AND user_id = ?", role.wire(), projectId, userId);
            }
            return Database.update(c, "INSERT INTO members (project_id, user_id, role) VALUES (?, ?, ?)", projectId, userId, role.wire());
        });
    }

    public String ontology(long projectId) {
        return db.read(c -> Database.one(c, "SELECT ontology FROM projects WHERE id = ?", rs -> rs.getString(1), projectId))
                .orElseThrow(() -> new NotFound("no project " + projectId));
    }

    /** Replaces the ontology (JSON text the caller has validated). */
    public void setOntology(long projectId, String json) {
        int n = db.transaction(c -> Database.update(c, "UPDATE projects SET ontology = ? WHERE id = ?", json, projectId));
        if (n == 0) {
            throw new NotFound("no project " + projectId);
        }
    }

    /**
     * Adds to the project's ontology the classes it lacks (see {@link #addingClasses}), in a
     * transaction of its own; returns the names added.
     */
    public List<String> addClasses(long projectId, Map<String, String> colours) {
        return db.transaction(addingClasses(projectId, colours));
    }

    /**
     * Work for a transaction: adds to the project's ontology the classes it lacks, with the colour
     * given (#rrggbb; null or empty for a default one); a derived class ({@code Tumor: Positive}) is
     * added under its base class, which is added too when missing, so the ontology shows QuPath's
     * hierarchy. Returns the names added. Run in the transaction that stores the regions using
     * them, so an import adds its classes only when its regions are stored.
     */
    public Database.Work<List<String>> addingClasses(long projectId, Map<String, String> colours) {
        return c -> {
            String json = Database.one(c, "SELECT ontology FROM projects WHERE id = ? FOR UPDATE", rs -> rs.getString(1), projectId)
                    .orElseThrow(() -> new NotFound("no project " + projectId));
            ArrayNode ontology;
            try {
                ontology = (ArrayNode) Jackson.MAPPER.readTree(json);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("the stored ontology of project " + projectId + " is not a JSON array", e);
            }
            Set<String> known = new LinkedHashSet<>();
            ontology.forEach(cls -> known.add(cls.path("name").asText()));
            List<String> added = new ArrayList<>();
            for (Map.Entry<String, String> u : colours.entrySet()) {
                List<String> parts = new Classification(u.getKey(), -1).parts();
                String parent = null;
                for (int i = 0; i < parts.size(); i++) {
                    String name = String.join(Classification.SEPARATOR, parts.subList(0, i + 1));
                    if (known.add(name)) {
                        boolean given = i == parts.size() - 1 && u.getValue() != null && !u.getValue().isEmpty();
                        ObjectNode entry = ontology.addObject().put("name", name).put("color", given ? u.getValue()
                                : String.format(Locale.ROOT, "#%06x", ImageClass.defaultColour(Math.max(1, Math.min(255, known.size()))) & 0xffffff));
                        if (parent != null) {
                            entry.put("parent", parent);
                        }
                        added.add(name);
                    }
                    parent = name;
                }
            }
            if (!added.isEmpty()) {
                Database.update(c, "UPDATE projects SET ontology = ? WHERE id = ?", Jackson.write(ontology), projectId);
            }
            return added;
        };
    }

    static void checkName(String name, String what) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInput(what + " must be 1-200 characters: " + (name == null ? "missing" : "\"" + name + "\""));
        }
    }

    private static Project project(ResultSet rs) throws SQLException {
        return new Project(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5));
    }
}
