//! The base layers and their names in the API, the CLI and the store.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A base layer. The names are the contract of DESIGN §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Communities,
    Grids,
    Streets,
    Shops,
    Zones,
    Components,
    /// Address points (street + house number), from OpenStreetMap `addr:*` or a GeoJSON file.
    Addresses,
    /// Officers: an attribute layer, imported from CSV or JSON.
    Officers,
    /// Cleaning contract sections (作业区/标段): areas or streets with a contractor and a fee.
    Sections,
}

/// An unknown layer name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown layer {0:?}; expected one of communities, grids, streets, shops, zones, components, addresses, officers, sections"
)]
pub struct UnknownLayer(pub String);

impl Layer {
    /// Every layer, in dependency order (communities before the grid cells that name them,
    /// streets before the sections drawn from them).
    pub const ALL: [Layer; 9] = [
        Layer::Communities,
        Layer::Grids,
        Layer::Streets,
        Layer::Shops,
        Layer::Zones,
        Layer::Components,
        Layer::Addresses,
        Layer::Officers,
        Layer::Sections,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Communities => "communities",
            Layer::Grids => "grids",
            Layer::Streets => "streets",
            Layer::Shops => "shops",
            Layer::Zones => "zones",
            Layer::Components => "components",
            Layer::Addresses => "addresses",
            Layer::Officers => "officers",
            Layer::Sections => "sections",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Layer {
    type Err = UnknownLayer;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layer::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLayer(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for l in Layer::ALL {
            assert_eq!(l.as_str().parse::<Layer>(), Ok(l));
        }
        assert!("roads".parse::<Layer>().is_err());
    }
}
