//! `GET /district`: what the web app shows around the map — the district's name and time zone,
//! where it lies, and the background tiles a site has configured (none by default).

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::Crs;
use citygrid_core::access::Permission;
use serde::Serialize;
use serde_json::{Value, json};

use super::AppState;
use super::endpoint::Endpoint;

/// A background tile source: an XYZ URL template with `{z}`, `{x}` and `{y}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tiles {
    pub url: String,
    /// The system the tiles are drawn in: `gcj02` for most Chinese web maps, whose streets sit
    /// some hundreds of metres off WGS 84; the web app shifts the data to match.
    pub crs: Crs,
    pub attribution: String,
}

impl Tiles {
    /// Checks the template: an http(s) URL with `{z}`, `{x}` and `{y}`.
    pub fn new(url: &str, crs: Crs, attribution: &str) -> Result<Self, String> {
        let origin = origin_of(url).ok_or_else(|| {
            format!("the tile URL {url:?} must start with http:// or https:// and name a host")
        })?;
        if origin.is_empty() || !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)) {
            return Err(format!(
                "the tile URL {url:?} must hold {{z}}, {{x}} and {{y}}"
            ));
        }
        if crs == Crs::Bd09 {
            return Err(
                "Baidu tiles (bd09) use their own tiling scheme; use wgs84 or gcj02 tiles".into(),
            );
        }
        Ok(Self {
            url: url.to_owned(),
            crs,
            attribution: attribution.to_owned(),
        })
    }

    /// `https://host[:port]`, which the page's content security policy must allow.
    pub fn origin(&self) -> String {
        origin_of(&self.url).unwrap_or_default()
    }
}

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains('{') && !host.contains(['\'', ';', ' ']))
        .then(|| format!("{scheme}://{host}"))
}

/// What a site configures about itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteConfig {
    /// The district's name, shown in the web app's header.
    pub name: String,
    pub tiles: Option<Tiles>,
}

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::new(
            "get",
            "/district",
            "district",
            "The district's name, time zone, extent and background tiles",
            get(district),
        )
        .access(Permission::Session)
        .ok(200, "application/json"),
    ]
}

async fn district(State(state): State<AppState>) -> Json<Value> {
    let atlas = state.district.atlas();
    let base = atlas.base();
    let bounds = extent(base);
    Json(json!({
        "name": state.site.name,
        "timezone": atlas.timezone().name(),
        "centre": crate::atlas::district_centre(base),
        "bbox": bounds,
        "tiles": state.site.tiles,
        "communities": base.communities.len(),
        "grids": base.grids.len(),
    }))
}

/// `[west, south, east, north]` of the grid cells, communities and streets, if any.
fn extent(base: &citygrid_core::features::BaseLayers) -> Option<[f64; 4]> {
    use geo::BoundingRect;
    base.grids
        .iter()
        .filter_map(|g| g.geometry.bounding_rect())
        .chain(
            base.communities
                .iter()
                .filter_map(|c| c.geometry.bounding_rect()),
        )
        .chain(
            base.streets
                .iter()
                .filter_map(|s| s.geometry.bounding_rect()),
        )
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_templates_are_checked() {
        let ok = Tiles::new("https://tiles.example.org/{z}/{x}/{y}.png", Crs::Gcj02, "").unwrap();
        assert_eq!(ok.origin(), "https://tiles.example.org");
        assert!(Tiles::new("https://tiles.example.org/{z}/{x}.png", Crs::Wgs84, "").is_err());
        assert!(Tiles::new("ftp://tiles.example.org/{z}/{x}/{y}.png", Crs::Wgs84, "").is_err());
        assert!(Tiles::new("https://{s}.example.org/{z}/{x}/{y}.png", Crs::Wgs84, "").is_err());
        assert!(Tiles::new("https://a.example.org/{z}/{x}/{y}", Crs::Bd09, "").is_err());
    }
}
