package org.histodraw.engine.vector;

import java.util.List;

/**
 * Keeps the holes of regions whose outer ring is still open out of the tracer's memory, so that a
 * region with hundreds of thousands of holes (tissue around every nucleus of a slide) does not grow
 * the heap with them. The {@link ClassMapVectoriser} hands a region's closed holes over once they
 * pass {@link #HELD_VERTICES} vertices, and the region's polygon, when its outer ring closes, to
 * {@link #close} instead of its listener: whoever implements this (a temporary file in
 * {@code slides}; the engine does no I/O) writes the polygon with every hole handed over.
 * Regions are named by numbers the tracer gives; only regions that handed holes over get one.
 */
public interface HoleSpill {
    /** Hole vertices a region holds in memory before they are handed over. */
    int HELD_VERTICES = 1 << 15;

    /** Takes these closed holes (in their canonical form, as they would be emitted) of a region still open. */
    void store(long region, List<Ring> holes);

    /** Two open pieces of one region met: the holes handed over for {@code from} belong to {@code into} now. */
    void merge(long from, long into);

    /**
     * The region's outer ring closed: {@code polygon} holds its shell and the holes still in
     * memory; the holes handed over for {@code region} complete it.
     */
    void close(long region, ClassifiedPolygon polygon);
}
