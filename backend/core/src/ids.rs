//! Newtype ids for every kind of base-layer feature.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

macro_rules! code_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared text: cloning is a reference-count increment, so answers can carry codes cheaply.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            pub fn new(code: impl Into<Arc<str>>) -> Self {
                Self(code.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s.into())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.into())
            }
        }
    };
}

code_id!(
    /// A grid cell code (单元网格编码), e.g. 15 digits in the national scheme.
    GridCode
);
code_id!(
    /// A community code (社区编码).
    CommunityCode
);
code_id!(
    /// A shop / door-responsibility unit code.
    ShopCode
);
code_id!(
    /// A public component (部件) code.
    ComponentCode
);
code_id!(
    /// An officer's staff code.
    OfficerCode
);
code_id!(
    /// A contract section's code (作业区/标段编号).
    SectionCode
);

macro_rules! seq_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

seq_id!(
    /// A street feature's id: its 1-based position in the imported layer.
    StreetId
);
seq_id!(
    /// A zone's id: its 1-based position in the imported layer.
    ZoneId
);
