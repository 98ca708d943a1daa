-- Issue 7: level of detail in the spatial key. Regions of at most 128 px now sit in four size
-- buckets (<= 16, 32, 64, 128 px) below the grid levels, and grid level L moves to band 4 + L
-- (see SpatialKey). The cells themselves do not change, so the key moves by whole bands:
-- band << 56 is added to every key (old level 0 keys have nothing in their top byte).
UPDATE regions SET cell = cell + 72057594037927936 * (CASE
    WHEN GREATEST(max_x - min_x, max_y - min_y) <= 16 THEN 0
    WHEN GREATEST(max_x - min_x, max_y - min_y) <= 32 THEN 1
    WHEN GREATEST(max_x - min_x, max_y - min_y) <= 64 THEN 2
    WHEN GREATEST(max_x - min_x, max_y - min_y) <= 128 THEN 3
    ELSE 4 END);

-- The newest change of one layer, read for every overlay tile (its cache key): an index-only look-up.
CREATE INDEX region_events_slice_layer_seq ON region_events (slice_id, layer, seq);
