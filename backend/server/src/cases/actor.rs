//! Who asks the case service: the name written into a case's history, how far their view of
//! cases reaches, which actions they may take and whether they see reporters' contacts.

use citygrid_core::access::{self, Reach};
use citygrid_core::account::{Role, User};
use citygrid_core::case::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A logged-in user with this role.
    User(Role),
    /// citygrid itself on an operator's command (imports): everything.
    System,
    /// An API client reading and posting public case data (Open311): no action, no contacts.
    Public,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Written into the case's history as who acted.
    pub name: String,
    kind: Kind,
    reach: Reach,
}

impl Actor {
    /// A logged-in user, with the reach of their role and scope.
    pub fn user(user: &User) -> Self {
        Self {
            name: user.username.clone(),
            kind: Kind::User(user.role),
            reach: Reach::of(user),
        }
    }

    /// citygrid itself, on an operator's command.
    pub fn system(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: Kind::System,
            reach: Reach::All,
        }
    }

    /// An API client that reports and reads public case data.
    pub fn public(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: Kind::Public,
            reach: Reach::All,
        }
    }

    pub fn reach(&self) -> &Reach {
        &self.reach
    }

    /// Whether this case is within the actor's reach.
    pub fn reaches(&self, case: &citygrid_core::case::Case) -> bool {
        self.reach.covers(
            case.location.grid.as_ref().map(|g| g.code.as_str()),
            case.location.community.as_ref().map(|k| k.code.as_str()),
            case.assignee.as_deref(),
        )
    }

    /// Whether this is a logged-in user of the bureau.
    pub fn is_user(&self) -> bool {
        matches!(self.kind, Kind::User(_))
    }

    /// Whether this is a public client (Open311), not a user of the bureau.
    pub fn is_public(&self) -> bool {
        self.kind == Kind::Public
    }

    /// Whether this actor may take `action` (on a case within reach).
    pub fn may(&self, action: Action) -> bool {
        match self.kind {
            Kind::User(role) => access::may_act(role, action),
            Kind::System => true,
            Kind::Public => false,
        }
    }

    /// Whether reporters' names and phone numbers are shown to this actor.
    pub fn sees_contacts(&self) -> bool {
        match self.kind {
            Kind::User(role) => access::sees_contacts(role),
            Kind::System => true,
            Kind::Public => false,
        }
    }

    /// The role, for messages.
    pub fn role_name(&self) -> &'static str {
        match self.kind {
            Kind::User(role) => role.as_str(),
            Kind::System => "system",
            Kind::Public => "api client",
        }
    }
}
