package org.histodraw.server.store;

/** A project: series of slices, an ontology, members with roles; readable by anyone when publicRead. */
public record Project(long id, String name, String description, boolean publicRead, long createdAt) {
}
