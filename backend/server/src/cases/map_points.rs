//! Every case a filter selects, reduced to what the map draws: a point, its state, its category
//! and whether it is overdue. A year of a district's cases fits in one answer.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Actor, CaseError, CaseService};
use crate::store::CaseFilter;

/// Read from the store this many at a time.
const PAGE: usize = 2000;

/// The most cases one answer holds; a wider filter gets the newest and `truncated: true`.
pub const MAX_MAP_POINTS: usize = 100_000;

impl CaseService {
    /// A GeoJSON FeatureCollection of the cases within the actor's reach that match, newest
    /// first: `id`, `status`, `category`, `overdue` and `created_at` per point.
    pub async fn map_points(
        &self,
        filter: &CaseFilter,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Value, CaseError> {
        let mut filter = filter.clone();
        let mut features = Vec::new();
        let mut truncated = false;
        loop {
            let page = self.list(&filter, actor, PAGE, now).await?;
            for v in &page {
                let c = &v.case;
                features.push(json!({
                    "type": "Feature",
                    "id": c.id.0,
                    "geometry": { "type": "Point", "coordinates": [c.point.lon, c.point.lat] },
                    "properties": {
                        "id": c.id.0,
                        "status": c.status,
                        "category": c.category,
                        "overdue": v.overdue,
                        "created_at": c.created_at,
                    },
                }));
            }
            if features.len() >= MAX_MAP_POINTS {
                truncated = page.len() == PAGE;
                features.truncate(MAX_MAP_POINTS);
                break;
            }
            match page.last() {
                Some(last) if page.len() == PAGE => filter.before = Some(last.case.id),
                _ => break,
            }
        }
        Ok(json!({ "type": "FeatureCollection", "features": features, "truncated": truncated }))
    }
}
