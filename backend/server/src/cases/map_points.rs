//! Every case a filter selects, reduced to what the map draws: a point, its state, its category
//! and whether it is overdue. A year of a district's cases fits in one answer.

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::cases::MapPoint;

use super::{Actor, CaseError, CaseService};
use crate::store::CaseFilter;

/// Read from the store this many at a time.
const PAGE: usize = 2000;

/// The most cases one answer holds; a wider filter gets the newest and `truncated: true`.
pub const MAX_MAP_POINTS: usize = 100_000;

/// The cases of a filter where the map draws them, newest first.
#[derive(Debug, Clone, Default)]
pub struct MapPoints {
    pub points: Vec<(LonLat, MapPoint)>,
    /// More cases matched than [`MAX_MAP_POINTS`]; the oldest were left out.
    pub truncated: bool,
}

impl CaseService {
    /// The cases within the actor's reach that match, newest first, as the map draws them.
    pub async fn map_points(
        &self,
        filter: &CaseFilter,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<MapPoints, CaseError> {
        let mut filter = filter.clone();
        let mut found = MapPoints::default();
        loop {
            let page = self.list(&filter, actor, PAGE, now).await?;
            found.points.extend(page.iter().map(|v| {
                let c = &v.case;
                let point = MapPoint {
                    id: c.id,
                    status: c.status,
                    category: c.category.clone(),
                    overdue: v.overdue,
                    created_at: c.created_at,
                };
                (c.point, point)
            }));
            if found.points.len() >= MAX_MAP_POINTS {
                found.truncated = page.len() == PAGE;
                found.points.truncate(MAX_MAP_POINTS);
                break;
            }
            match page.last() {
                Some(last) if page.len() == PAGE => filter.before = Some(last.case.id),
                _ => break,
            }
        }
        Ok(found)
    }
}
