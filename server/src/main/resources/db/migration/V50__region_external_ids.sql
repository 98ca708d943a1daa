-- Where imported regions came from (issue 20): the id a region had in the tool it came from
-- (QuPath's object UUID, MicroDraw's uid), so that importing the same objects again updates them
-- instead of adding copies, and exports give the id back. One row per region that has one. A
-- deleted region keeps its row: a restore brings the region back under the same id, and an import
-- that finds the id on a deleted region adds a new region and moves the row to it.
CREATE TABLE region_external_ids (
    region_id   BIGINT       PRIMARY KEY,
    slice_id    BIGINT       NOT NULL REFERENCES slices (id) ON DELETE CASCADE,
    external_id VARCHAR(200) NOT NULL
);
CREATE UNIQUE INDEX region_external_ids_slice ON region_external_ids (slice_id, external_id);
