package org.histodraw.spark;

import org.apache.spark.Partitioner;

/**
 * Sends every tile of a slide to the same partition of the writing stage (keys from
 * {@link TileKeys}), so one task assembles the slide's strips and writes its files. With as many
 * partitions as slides, each slide is its own task and slides are written in parallel.
 */
final class SlidePartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    SlidePartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("need at least one partition: " + partitions);
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return TileKeys.slide((Long) key) % partitions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlidePartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
