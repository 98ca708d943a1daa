package org.histodraw.server.store;

/**
 * One region's change in a commit: op is create, update or delete; geometry, properties and
 * provenance are the region's state after the change (null for a delete).
 */
public record Change(long eventId, long seq, String op, long regionId, int version, String layer, String className,
                     String geometry, String properties, String provenance, String user, long time) {

    /** The region after the change as a GeoJSON Feature (for a delete: id, version, layer and no geometry). */
    public String featureJson() {
        return Features.feature(regionId, version, layer, geometry, properties, provenance);
    }
}
