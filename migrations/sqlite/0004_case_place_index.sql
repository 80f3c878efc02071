-- Cases of a category in a small area (duplicate checks, map filters): category, then longitude
-- range, with latitude checked in the index.
CREATE INDEX cases_category_lon_lat ON cases (category, lon, lat);
