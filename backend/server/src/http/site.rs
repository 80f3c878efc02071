//! `GET /district`: what the web app shows around the map — the district's name and time zone,
//! where it lies, and the background tiles a site has configured (none by default).

use axum::Json;
use axum::extract::State;
use axum::routing::get;
use citygrid_core::Crs;
use citygrid_core::access::Permission;
use citygrid_core::api::district::DistrictInfo;
pub use citygrid_core::api::district::Tiles;

use super::AppState;
use super::endpoint::Endpoint;

/// Checks a tile source: an http(s) URL template with `{z}`, `{x}` and `{y}`, in WGS 84 or
/// GCJ-02.
pub fn checked_tiles(url: &str, crs: Crs, attribution: &str) -> Result<Tiles, String> {
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
    Ok(Tiles {
        url: url.to_owned(),
        crs,
        attribution: attribution.to_owned(),
    })
}

/// `https://host[:port]` of the tiles, which the page's content security policy must allow.
pub fn tile_origin(tiles: &Tiles) -> String {
    origin_of(&tiles.url).unwrap_or_default()
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
        .answers::<DistrictInfo>()
        .access(Permission::Session)
        .ok(200, "application/json"),
    ]
}

async fn district(State(state): State<AppState>) -> Json<DistrictInfo> {
    let atlas = state.district.atlas();
    let base = atlas.base();
    Json(DistrictInfo {
        name: state.site.name.clone(),
        timezone: atlas.timezone().name().to_owned(),
        centre: crate::atlas::district_centre(base),
        bbox: crate::atlas::district_extent(base)
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]),
        tiles: state.site.tiles.clone(),
        communities: base.communities.len(),
        grids: base.grids.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_templates_are_checked() {
        let ok =
            checked_tiles("https://tiles.example.org/{z}/{x}/{y}.png", Crs::Gcj02, "").unwrap();
        assert_eq!(tile_origin(&ok), "https://tiles.example.org");
        assert!(checked_tiles("https://tiles.example.org/{z}/{x}.png", Crs::Wgs84, "").is_err());
        assert!(checked_tiles("ftp://tiles.example.org/{z}/{x}/{y}.png", Crs::Wgs84, "").is_err());
        assert!(checked_tiles("https://{s}.example.org/{z}/{x}/{y}.png", Crs::Wgs84, "").is_err());
        assert!(checked_tiles("https://a.example.org/{z}/{x}/{y}", Crs::Bd09, "").is_err());
    }
}
