package org.histodraw.service.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.histodraw.engine.classes.ImageClass;
import org.histodraw.engine.pipeline.ModelCodec;
import org.histodraw.engine.pipeline.SegmentationModel;
import org.histodraw.service.errors.ClientError;

/**
 * Saved models in the service's data folder: {@code NAME-vN.hdm} (the engine's model file, which
 * records feature settings, classes and the training regions) beside {@code NAME-vN.json} (what the
 * list shows). Saving a name again makes its next version; nothing is ever overwritten. Files
 * appear whole or not at all (written under a temporary name, then moved).
 */
public final class ModelStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public ModelStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model folder " + dir + ": " + e.getMessage(), e);
        }
    }

    public static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw ClientError.badRequest("a model name is 1-64 letters, digits or ._- (starting with a letter or digit): " + name);
        }
        return name;
    }

    /** Saves the model as the next version of {@code name}. */
    public synchronized SavedModel save(String name, SegmentationModel model, List<Long> trainingSlices, String server) {
        checkName(name);
        int version = list().stream().filter(m -> m.name().equals(name)).mapToInt(SavedModel::version).max().orElse(0) + 1;
        SavedModel saved = new SavedModel(name, version, model.id(),
                model.classes().classes().stream().map(ImageClass::name).toList(), trainingSlices, server,
                System.currentTimeMillis());
        try {
            write(dir.resolve(base(name, version) + ".hdm"), ModelCodec.write(model.withName(name)));
            write(dir.resolve(base(name, version) + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(saved));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model " + name + ": " + e.getMessage(), e);
        }
        return saved;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.write(part, bytes);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every saved model, by name then version. */
    public synchronized List<SavedModel> list() {
        List<SavedModel> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    SavedModel m = JSON.readValue(f.toFile(), SavedModel.class);
                    if (Files.isRegularFile(dir.resolve(base(m.name(), m.version()) + ".hdm"))) {
                        out.add(m);
                    }
                } catch (IOException e) {
                    System.err.println("histodraw service: skipping unreadable model description " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(SavedModel::name).thenComparingInt(SavedModel::version));
        return out;
    }

    /** A saved model; version 0 means the latest. */
    public synchronized Optional<SavedModel> find(String name, int version) {
        return list().stream().filter(m -> m.name().equals(name) && (version == 0 || m.version() == version))
                .max(Comparator.comparingInt(SavedModel::version));
    }

    public SegmentationModel load(SavedModel saved) {
        Path file = dir.resolve(base(saved.name(), saved.version()) + ".hdm");
        try {
            return ModelCodec.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("model " + saved.name() + " v" + saved.version() + " is damaged: " + e.getMessage(), e);
        }
    }

    private static String base(String name, int version) {
        return name + "-v" + version;
    }
}
