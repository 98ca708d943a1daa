package org.histodraw.server.exchange;

/**
 * How much one region import may unpack, so that no file (a zip bomb, a region of a billion
 * points, a property of 250 MB) can exhaust the server's memory. Every limit is checked while the
 * input streams in, before anything is stored; crossing one answers 413 naming it.
 *
 * @param maxEntryBytes       decompressed bytes of one file (a slice's regions), as the 64 MiB
 *                            request body limit bounds a single-slice import
 * @param maxImportBytes      decompressed bytes of all files of one series import together
 * @param maxEntries          entries of a zip, folders and skipped files included
 * @param maxRegionBytes      JSON bytes of one region (its geometry and properties)
 * @param maxRegionsPerSlice  regions imported into one slice
 * @param maxRegionsPerImport regions of one series import together
 * @param concurrentImports   imports unpacked at the same time (each holds its regions in memory
 *                            until they are stored); more wait up to 30 s, then get 503
 * @param maxStagedRegions    regions a job may stage for one slice's layer, sent in parts of at most
 *                            64 MiB each (a whole slide of nuclei); the commit streams them
 */
public record ImportLimits(long maxEntryBytes, long maxImportBytes, int maxEntries, long maxRegionBytes,
                           int maxRegionsPerSlice, int maxRegionsPerImport, int concurrentImports, int maxStagedRegions) {
    public static final ImportLimits DEFAULT = new ImportLimits(64L << 20, 128L << 20, 10_000, 16L << 20, 200_000, 500_000, 2,
            2_000_000);

    public ImportLimits {
        if (maxEntryBytes < 1 || maxImportBytes < 1 || maxEntries < 1 || maxRegionBytes < 1 || maxRegionsPerSlice < 1
                || maxRegionsPerImport < 1 || concurrentImports < 1 || maxStagedRegions < 1) {
            throw new IllegalArgumentException("import limits must be positive");
        }
    }
}
