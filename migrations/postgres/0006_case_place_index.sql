-- Cases of a category and state in a small area (the map's and the list's filters, duplicate
-- checks): equality on category and status, then the longitude range, latitude checked in the
-- index, with the id beside them, so that a page of a filtered list is chosen from the index
-- alone and only its rows are read.
CREATE INDEX cases_category_status_place ON cases (category, status, lon, lat) INCLUDE (fid);
