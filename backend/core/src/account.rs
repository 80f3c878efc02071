//! Users and their roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a user is to the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 管理员: base layers, users, configuration.
    Admin,
    /// 局领导: reads everything, changes nothing.
    Leader,
    /// 网格监督员 / 中队长: their communities or grids.
    Supervisor,
    /// 派遣员: the queue, assignment.
    Dispatcher,
    /// 执法队员 / 网格员: their own tasks.
    Officer,
    /// 规划 / 分析: statistics.
    Planner,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Leader,
        Role::Supervisor,
        Role::Dispatcher,
        Role::Officer,
        Role::Planner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Supervisor => "supervisor",
            Role::Dispatcher => "dispatcher",
            Role::Officer => "officer",
            Role::Planner => "planner",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown role name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected admin, leader, supervisor, dispatcher, officer or planner")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A user as the API shows them (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub role: Role,
    /// Community or grid codes a supervisor answers for.
    #[serde(default)]
    pub scope: Vec<String>,
    /// An officer's staff code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    pub disabled: bool,
    /// The password was made by citygrid (a new user's or a reset one): until the user changes
    /// it, the session serves only what any session may do.
    #[serde(default)]
    pub must_change_password: bool,
}
