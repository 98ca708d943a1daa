package org.histodraw.server.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.geojson.Classification;
import org.histodraw.server.store.Projects;

/** Classes an imported file brings into a project's ontology. */
public final class Ontologies {
    private Ontologies() {
    }

    /**
     * Adds the classes the ontology lacks, with the colour the file gives (#rrggbb; null or empty for
     * a default); a derived class ({@code Tumor: Positive}) is added under its base class, which is
     * added too when missing, so the ontology shows QuPath's hierarchy. Returns the names added.
     */
    public static List<String> addClasses(Projects projects, long projectId, Map<String, String> used) {
        ArrayNode ontology;
        try {
            ontology = (ArrayNode) QuPathRegions.MAPPER.readTree(projects.ontology(projectId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored ontology of project " + projectId + " is not JSON", e);
        }
        Set<String> known = new LinkedHashSet<>();
        ontology.forEach(c -> known.add(c.path("name").asText()));
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, String> u : used.entrySet()) {
            List<String> parts = new Classification(u.getKey(), -1).parts();
            String parent = null;
            for (int i = 0; i < parts.size(); i++) {
                String name = String.join(Classification.SEPARATOR, parts.subList(0, i + 1));
                if (known.add(name)) {
                    boolean given = i == parts.size() - 1 && u.getValue() != null && !u.getValue().isEmpty();
                    ObjectNode entry = ontology.addObject().put("name", name).put("color", given ? u.getValue() : defaultColour(known.size()));
                    if (parent != null) {
                        entry.put("parent", parent);
                    }
                    added.add(name);
                }
                parent = name;
            }
        }
        if (!added.isEmpty()) {
            projects.setOntology(projectId, ontology.toString());
        }
        return added;
    }

    private static String defaultColour(int index) {
        return String.format(Locale.ROOT, "#%06x", ImageClass.defaultColour(Math.max(1, Math.min(255, index))) & 0xffffff);
    }
}
