-- Cases of a category and state in a small area (duplicate checks, map and list filters):
-- equality on category and status, then the longitude range, latitude checked in the index.
CREATE INDEX cases_category_status_place ON cases (category, status, lon, lat);
