//! Names as shared text, made once per atlas, so that each answer clones pointers, not strings.

use std::sync::Arc;

use citygrid_core::features::BaseLayers;

#[derive(Debug, Default)]
pub struct Labels {
    pub grid_names: Vec<Option<Arc<str>>>,
    pub community_names: Vec<Arc<str>>,
    pub subdistricts: Vec<Option<Arc<str>>>,
    pub zone_names: Vec<Arc<str>>,
    pub street_names: Vec<Arc<str>>,
    pub street_classes: Vec<Option<Arc<str>>>,
    pub shop_names: Vec<Arc<str>>,
}

impl Labels {
    pub fn new(base: &BaseLayers) -> Self {
        let shared = |s: &str| Arc::<str>::from(s);
        Self {
            grid_names: base
                .grids
                .iter()
                .map(|g| g.name.as_deref().map(shared))
                .collect(),
            community_names: base.communities.iter().map(|c| shared(&c.name)).collect(),
            subdistricts: base
                .communities
                .iter()
                .map(|c| c.subdistrict.as_deref().map(shared))
                .collect(),
            zone_names: base.zones.iter().map(|z| shared(&z.name)).collect(),
            street_names: base.streets.iter().map(|s| shared(&s.name)).collect(),
            street_classes: base
                .streets
                .iter()
                .map(|s| s.class.as_deref().map(shared))
                .collect(),
            shop_names: base.shops.iter().map(|s| shared(&s.name)).collect(),
        }
    }
}
