//! GeoJSON answers, built with the `geojson` crate's types: a page of cases, the cases the map
//! draws, and places (grid
//! cells, communities) with their figures joined to their shapes by code.

use std::collections::HashMap;

use citygrid_core::api::cases::CaseView;
use citygrid_core::case::CaseId;
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, feature::Id};
use serde::Serialize;

use crate::cases::MapPoints;

/// A value as the properties of a feature (an object serializes to its members).
fn properties<T: Serialize>(value: &T) -> JsonObject {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => JsonObject::new(),
    }
}

/// A collection with members beside `features` (`next_cursor`, `slices`).
fn collection(features: Vec<Feature>, members: JsonObject) -> FeatureCollection {
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: (!members.is_empty()).then_some(members),
    }
}

/// A page of cases: each a point with the case as its properties.
pub fn cases(cases: &[CaseView], next_cursor: Option<CaseId>) -> FeatureCollection {
    let features = cases
        .iter()
        .map(|c| Feature {
            bbox: None,
            geometry: Some(Geometry::new_point([c.case.point.lon, c.case.point.lat])),
            id: Some(Id::Number(c.case.id.0.into())),
            properties: Some(properties(c)),
            foreign_members: None,
        })
        .collect();
    let mut members = JsonObject::new();
    members.insert(
        "next_cursor".into(),
        serde_json::to_value(next_cursor).unwrap_or_default(),
    );
    collection(features, members)
}

/// The cases the map draws: each a point with its `MapPoint` as properties, and whether
/// the answer was cut (`truncated`).
pub fn map_points(found: &MapPoints) -> FeatureCollection {
    let features = found
        .points
        .iter()
        .map(|(at, p)| Feature {
            bbox: None,
            geometry: Some(Geometry::new_point([at.lon, at.lat])),
            id: Some(Id::Number(p.id.0.into())),
            properties: Some(properties(p)),
            foreign_members: None,
        })
        .collect();
    let mut members = JsonObject::new();
    members.insert("truncated".into(), found.truncated.into());
    collection(features, members)
}

/// Places with their shapes: each feature is a place's shape, its id the place's code and its
/// properties what `figures` holds for that code (or `absent` for places without any).
pub fn places<'a, T: Serialize>(
    shapes: impl IntoIterator<Item = (String, &'a geo::MultiPolygon)>,
    figures: &HashMap<String, T>,
    absent: impl Fn(&str) -> JsonObject,
    members: JsonObject,
) -> FeatureCollection {
    let features = shapes
        .into_iter()
        .map(|(code, shape)| Feature {
            bbox: None,
            geometry: Some(Geometry::from(shape)),
            properties: Some(figures.get(&code).map_or_else(|| absent(&code), properties)),
            id: Some(Id::String(code)),
            foreign_members: None,
        })
        .collect();
    collection(features, members)
}
