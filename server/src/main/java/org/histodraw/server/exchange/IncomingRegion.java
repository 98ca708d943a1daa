package org.histodraw.server.exchange;

import java.util.List;
import java.util.Objects;
import org.histodraw.server.store.RegionInput;

/**
 * A region read from an imported file, ready to store: where it was in the file, the id it had
 * there (or null), what the store takes, the colour the file gives its class (#rrggbb or null), and
 * what reading changed (for the report).
 */
public record IncomingRegion(String at, String externalId, RegionInput input, String classColour, List<String> notes) {
    public IncomingRegion {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(input, "input");
        notes = List.copyOf(notes);
    }
}
