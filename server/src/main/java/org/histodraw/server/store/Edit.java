package org.histodraw.server.store;

/**
 * One part of a compound edit (split, merge, fill holes...) that commits as one change: all parts
 * or none, under one sequence number. Updates and deletes name the version they were made against.
 */
public sealed interface Edit {
    record Create(RegionInput input) implements Edit {
    }

    record Update(long regionId, int expectedVersion, RegionInput input) implements Edit {
    }

    record Delete(long regionId, int expectedVersion) implements Edit {
    }
}
