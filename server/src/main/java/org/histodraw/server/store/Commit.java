package org.histodraw.server.store;

import java.util.List;

/**
 * What one transaction changed on a slice: its sequence number and the region changes. A layer
 * replacement names the layer (its changes may be many; listeners may announce it as one).
 */
public record Commit(long sliceId, long seq, List<Change> changes, String replacedLayer) {
    public boolean isEmpty() {
        return changes.isEmpty() && replacedLayer == null;
    }
}
