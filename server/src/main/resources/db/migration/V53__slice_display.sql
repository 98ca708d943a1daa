-- Display settings of slices that are not 8-bit colour (issue 20: 16-bit, float, fluorescence
-- channels): per channel whether it is shown, its colour and its range of original values, as JSON
-- ([{"visible", "color", "min", "max"}, ...]). No row: the automatic ranges from the slide's own
-- percentiles. Shared by everyone who views the slice, as QuPath keeps them with the image.
CREATE TABLE slice_display (
    slice_id   BIGINT  NOT NULL PRIMARY KEY REFERENCES slices (id) ON DELETE CASCADE,
    settings   VARCHAR NOT NULL,
    updated_at BIGINT  NOT NULL
);
