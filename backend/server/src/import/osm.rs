//! OpenStreetMap `.osm.pbf` extract → a whole district (written in a later commit).
