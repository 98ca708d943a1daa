package org.histodraw.service.models;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The saved models of each project, apart: {@code models/project-ID/} in the data folder. A caller
 * sees, saves and uses the models of the project their token is for, and no other.
 */
public final class ModelStores {
    private final Path root;
    private final Map<Long, ModelStore> stores = new ConcurrentHashMap<>();

    public ModelStores(Path root) {
        this.root = root;
    }

    public ModelStore of(long projectId) {
        return stores.computeIfAbsent(projectId, id -> new ModelStore(root.resolve("project-" + id)));
    }
}
