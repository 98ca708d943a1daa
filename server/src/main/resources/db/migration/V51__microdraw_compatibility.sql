-- MicroDraw compatibility (issue 20). MicroDraw's clients and scripts name a slice by "source" (the
-- URL of the series' source description, {"tileSources": [...]}) and "slice" (its index, or its
-- name when the description has "names"). An imported MicroDraw project records its source here,
-- per MicroDraw project name ('' for any), so that its old URLs keep working.
CREATE TABLE microdraw_sources (
    source      VARCHAR(2000) NOT NULL,
    project     VARCHAR(200)  NOT NULL,
    series_id   BIGINT        NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    slice_names VARCHAR,
    PRIMARY KEY (source, project)
);

-- MicroDraw's lines (open paths) and texts (PointText) have no area, so they are no regions; they are
-- kept as MicroDraw wrote them, per slice and uid, so that its clients and exports give them back.
CREATE TABLE microdraw_items (
    slice_id   BIGINT       NOT NULL REFERENCES slices (id) ON DELETE CASCADE,
    uid        VARCHAR(200) NOT NULL,
    annotation VARCHAR      NOT NULL,
    username   VARCHAR(200),
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (slice_id, uid)
);
