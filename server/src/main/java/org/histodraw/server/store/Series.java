package org.histodraw.server.store;

/** An ordered list of slices (sections of one brain, one block...). */
public record Series(long id, long projectId, String name) {
}
