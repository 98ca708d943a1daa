-- A project's own stain vectors ("estimate from this slide", or typed in): the two stains of the
-- project's stain (he or hdab) as their red, green and blue optical densities, r,g,b/r,g,b. Null:
-- Ruifrok and Johnston's preset. stain_vectors_slice: the slice they were estimated from (null when
-- typed in). Changing the project's stain forgets them (they belong to the other pair of stains).
ALTER TABLE projects ADD COLUMN stain_vectors VARCHAR(200);
ALTER TABLE projects ADD COLUMN stain_vectors_slice BIGINT;
