-- The stain of a project's slides: which channels the segmentation trains on (he: hematoxylin and
-- eosin, hdab: hematoxylin and DAB, rgb: the colour channels as they are).
ALTER TABLE projects ADD COLUMN stain VARCHAR(8) DEFAULT 'he' NOT NULL;
