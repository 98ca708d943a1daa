-- Slices read their pixels from where they are kept (issue 14): the original slide file (stored in the
-- data folder, or linked in place on a shared disk) or a Deep Zoom pyramid folder (the pyramids of
-- earlier versions, and the lossless pyramids built for images without random access). Every slice
-- that exists before this migration has a pyramid under its storage key.
ALTER TABLE slices ADD COLUMN source_kind VARCHAR(16) DEFAULT 'pyramid' NOT NULL;
ALTER TABLE slices ADD COLUMN source_file VARCHAR(4000);
ALTER TABLE slices ADD COLUMN linked BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE slices ADD COLUMN file_format VARCHAR(64);
ALTER TABLE slices ADD COLUMN vendor VARCHAR(64);
ALTER TABLE slices ADD COLUMN objective_power DOUBLE PRECISION;
ALTER TABLE slices ADD COLUMN associated_images VARCHAR(1000);
UPDATE slices SET source_file = storage_key WHERE source_file IS NULL;
