//! Who may do what: the permission each route needs, which roles hold it, which actions of the
//! closed loop each role may take, and how far a user's view of cases reaches.
//!
//! The server enforces these; the web app reads the same tables to show only what a user may do.

use serde::{Deserialize, Serialize};

use crate::account::{Role, User};
use crate::case::Action;

/// What a route needs from its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Anyone, without logging in (health, the API description, logging in, Open311).
    Public,
    /// Any logged-in user: the base layers, addresses, the district.
    Session,
    /// Any logged-in user, on their own account: who they are, their password, logging out —
    /// all that a session whose password citygrid made may do before it is changed.
    OwnAccount,
    /// Read cases, their photos and live events (within the user's reach).
    ReadCases,
    /// Report a new case and upload photos.
    ReportCases,
    /// Act on a case (which actions, by role: [`may_act`]).
    ActOnCases,
    /// Import historical cases.
    ImportCases,
    /// Read the audit log.
    ReadAudit,
    /// Add, change and disable users.
    ManageUsers,
    /// See officers, their teams, grids and duty status.
    ReadOfficers,
    /// Set an officer's duty status (an officer only their own).
    SetDutyStatus,
    /// Post GPS fixes (an officer only their own).
    ReportPosition,
    /// See officers' positions, live and past (a supervisor only in their area).
    SeePositions,
    /// Rank officers for a case (dispatching itself is an action of the loop).
    Dispatch,
    /// Add, change and remove officers; plan their shifts.
    ManageOfficers,
    /// Statistics over every case of the district: counts, hot spots, trends.
    Analyse,
    /// Replace a base layer (grid cells, streets, shops, …) from a file.
    ManageLayers,
    /// Change the case categories and their time limits.
    ManageCategories,
    /// Change the checklist templates assessments are scored by (each change a new version).
    ManageChecklists,
    /// Record assessments: sanitation sections and door-front shops (FIELDWORK §2–3).
    Assess,
    /// Sign assessment periods off, correct them afterwards, record and decide appeals.
    SignOffPeriods,
    /// Plan campaigns (专项整治) and change them; import past campaigns' actions.
    ManageCampaigns,
    /// Record a campaign's actions with their tallies.
    RecordActions,
    /// Receive applications for approvals and filings, ask for materials, decide them.
    HandleApprovals,
    /// Receive 12345 hotline work orders and take them through their loop.
    HandleOrders,
    /// Edit a quarter's report text and write next quarter's plan.
    WriteReports,
}

impl Permission {
    pub const ALL: [Permission; 26] = [
        Permission::Public,
        Permission::Session,
        Permission::OwnAccount,
        Permission::ReadCases,
        Permission::ReportCases,
        Permission::ActOnCases,
        Permission::ImportCases,
        Permission::ReadAudit,
        Permission::ManageUsers,
        Permission::ReadOfficers,
        Permission::SetDutyStatus,
        Permission::ReportPosition,
        Permission::SeePositions,
        Permission::Dispatch,
        Permission::ManageOfficers,
        Permission::Analyse,
        Permission::ManageLayers,
        Permission::ManageCategories,
        Permission::ManageChecklists,
        Permission::Assess,
        Permission::SignOffPeriods,
        Permission::ManageCampaigns,
        Permission::RecordActions,
        Permission::HandleApprovals,
        Permission::HandleOrders,
        Permission::WriteReports,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Public => "public",
            Permission::Session => "session",
            Permission::OwnAccount => "own_account",
            Permission::ReadCases => "read_cases",
            Permission::ReportCases => "report_cases",
            Permission::ActOnCases => "act_on_cases",
            Permission::ImportCases => "import_cases",
            Permission::ReadAudit => "read_audit",
            Permission::ManageUsers => "manage_users",
            Permission::ReadOfficers => "read_officers",
            Permission::SetDutyStatus => "set_duty_status",
            Permission::ReportPosition => "report_position",
            Permission::SeePositions => "see_positions",
            Permission::Dispatch => "dispatch",
            Permission::ManageOfficers => "manage_officers",
            Permission::Analyse => "analyse",
            Permission::ManageLayers => "manage_layers",
            Permission::ManageCategories => "manage_categories",
            Permission::ManageChecklists => "manage_checklists",
            Permission::Assess => "assess",
            Permission::SignOffPeriods => "sign_off_periods",
            Permission::ManageCampaigns => "manage_campaigns",
            Permission::RecordActions => "record_actions",
            Permission::HandleApprovals => "handle_approvals",
            Permission::HandleOrders => "handle_orders",
            Permission::WriteReports => "write_reports",
        }
    }

    /// Whether a logged-in user is needed at all.
    pub fn needs_login(self) -> bool {
        self != Permission::Public
    }

    /// Whether a user with this role holds the permission.
    pub fn granted_to(self, role: Role) -> bool {
        use Permission as P;
        use Role as R;
        match self {
            P::Public | P::Session | P::OwnAccount | P::ReadCases => true,
            P::ReportCases | P::ActOnCases => {
                matches!(role, R::Admin | R::Supervisor | R::Dispatcher | R::Officer)
            }
            P::ImportCases
            | P::ReadAudit
            | P::ManageUsers
            | P::ManageLayers
            | P::ManageCategories
            | P::ManageChecklists => role == R::Admin,
            P::ReadOfficers => matches!(role, R::Admin | R::Leader | R::Supervisor | R::Dispatcher),
            P::SetDutyStatus => matches!(role, R::Admin | R::Dispatcher | R::Officer),
            P::ReportPosition => matches!(role, R::Admin | R::Officer),
            P::SeePositions => matches!(role, R::Admin | R::Dispatcher | R::Supervisor),
            P::Dispatch | P::ManageOfficers => matches!(role, R::Admin | R::Dispatcher),
            P::Analyse => matches!(role, R::Admin | R::Leader | R::Planner),
            // Inspectors and grid supervisors score sections; officers survey shops' fronts.
            P::Assess => matches!(role, R::Admin | R::Supervisor | R::Officer),
            // The leader in charge signs the contractors' months off and decides appeals.
            P::SignOffPeriods => matches!(role, R::Admin | R::Leader),
            // A campaign's lead (a leader, a grid supervisor) plans it; field teams record
            // its actions.
            P::ManageCampaigns => matches!(role, R::Admin | R::Leader | R::Supervisor),
            P::RecordActions => matches!(role, R::Admin | R::Supervisor | R::Officer),
            // The desk that receives the public (受理窗口) is the dispatchers'.
            P::HandleApprovals => matches!(role, R::Admin | R::Dispatcher),
            // The hotline desk is the dispatchers' too: they turn orders into cases.
            P::HandleOrders => matches!(role, R::Admin | R::Dispatcher),
            // The report goes out under the bureau's leaders: they write its final text.
            P::WriteReports => matches!(role, R::Admin | R::Leader),
        }
    }
}

/// Which actions of the closed loop a role may take (on cases within its reach).
///
/// Dispatchers accept, refuse, send (and recall), extend, close and void; supervisors handle
/// small problems on the spot and verify (or send back) what was handled; officers report their
/// own tasks handled, return them or ask for more time; everyone who acts may comment; an admin
/// may do anything.
pub fn may_act(role: Role, action: Action) -> bool {
    use Action as A;
    use Role as R;
    match role {
        R::Admin => true,
        R::Leader | R::Planner => false,
        R::Dispatcher => matches!(
            action,
            A::Register
                | A::Reject
                | A::Dispatch
                | A::Recall
                | A::Extend
                | A::Close
                | A::Void
                | A::Comment
        ),
        R::Supervisor => matches!(action, A::HandleOnSpot | A::Verify | A::Rework | A::Comment),
        R::Officer => matches!(
            action,
            A::Handle | A::Return | A::RequestExtension | A::Comment
        ),
    }
}

/// Whether a role sees reporters' names and phone numbers: those who call reporters back
/// (dispatchers, admins) and the officer sent to the spot. Leaders, planners and supervisors
/// see cases without them.
pub fn sees_contacts(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Dispatcher | Role::Officer)
}

/// Whether a role sees applicants' names, credit codes and contacts: those who handle the
/// applications. Everyone else reads applications without them.
pub fn sees_applicants(role: Role) -> bool {
    Permission::HandleApprovals.granted_to(role)
}

/// How far a user's view of cases reaches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Reach {
    /// Every case of the district.
    #[default]
    All,
    /// Cases whose grid cell or community is one of these codes (a supervisor's scope).
    Areas(Vec<String>),
    /// Cases assigned to this officer code.
    Assigned(String),
}

impl Reach {
    /// A user's reach, from their role and scope.
    pub fn of(user: &User) -> Reach {
        match user.role {
            Role::Supervisor => Reach::Areas(user.scope.clone()),
            Role::Officer => Reach::Assigned(user.officer.clone().unwrap_or_default()),
            Role::Admin | Role::Leader | Role::Dispatcher | Role::Planner => Reach::All,
        }
    }

    /// Whether a filter may name this grid cell or community code: a supervisor may name their
    /// own communities and cells and the cells of their communities (`community_of` gives a
    /// cell's community); everyone else any place (their reach narrows what they get).
    pub fn may_name(&self, code: &str, community_of: impl Fn(&str) -> Option<String>) -> bool {
        match self {
            Reach::Areas(codes) => {
                codes.iter().any(|c| c == code)
                    || community_of(code).is_some_and(|k| codes.contains(&k))
            }
            Reach::All | Reach::Assigned(_) => true,
        }
    }

    /// Whether a case in `grid` and `community`, assigned to `assignee`, is within reach.
    pub fn covers(
        &self,
        grid: Option<&str>,
        community: Option<&str>,
        assignee: Option<&str>,
    ) -> bool {
        match self {
            Reach::All => true,
            Reach::Areas(codes) => codes
                .iter()
                .any(|c| Some(c.as_str()) == grid || Some(c.as_str()) == community),
            Reach::Assigned(code) => !code.is_empty() && assignee == Some(code.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, scope: &[&str], officer: Option<&str>) -> User {
        User {
            id: 1,
            username: "u".into(),
            display_name: None,
            role,
            scope: scope.iter().map(|s| (*s).to_owned()).collect(),
            officer: officer.map(str::to_owned),
            disabled: false,
            must_change_password: false,
        }
    }

    #[test]
    fn only_admins_manage_users_and_read_the_audit_log() {
        for role in Role::ALL {
            assert_eq!(
                Permission::ManageUsers.granted_to(role),
                role == Role::Admin
            );
            assert_eq!(Permission::ReadAudit.granted_to(role), role == Role::Admin);
        }
    }

    #[test]
    fn leaders_and_planners_read_but_never_write() {
        for role in [Role::Leader, Role::Planner] {
            assert!(Permission::ReadCases.granted_to(role));
            assert!(!Permission::ReportCases.granted_to(role));
            assert!(!Permission::ActOnCases.granted_to(role));
            assert!(Action::ALL.iter().all(|a| !may_act(role, *a)));
        }
    }

    #[test]
    fn each_step_of_the_loop_belongs_to_its_role() {
        assert!(may_act(Role::Dispatcher, Action::Dispatch));
        assert!(!may_act(Role::Dispatcher, Action::Verify));
        assert!(may_act(Role::Supervisor, Action::Verify));
        assert!(!may_act(Role::Supervisor, Action::Dispatch));
        assert!(may_act(Role::Officer, Action::Handle));
        assert!(!may_act(Role::Officer, Action::Close));
        // A dispatch is recalled by dispatchers; more time is asked for by officers.
        assert!(may_act(Role::Dispatcher, Action::Recall));
        assert!(!may_act(Role::Officer, Action::Recall));
        assert!(may_act(Role::Officer, Action::RequestExtension));
        assert!(!may_act(Role::Dispatcher, Action::RequestExtension));
    }

    #[test]
    fn a_supervisor_reaches_their_grids_and_communities_only() {
        let reach = Reach::of(&user(Role::Supervisor, &["340688001001", "G-7"], None));
        assert!(reach.covers(Some("G-1"), Some("340688001001"), None));
        assert!(reach.covers(Some("G-7"), Some("340688002002"), None));
        assert!(!reach.covers(Some("G-1"), Some("340688002002"), None));
        assert!(!reach.covers(None, None, None));
        let nothing = Reach::of(&user(Role::Supervisor, &[], None));
        assert!(!nothing.covers(Some("G-1"), Some("340688001001"), None));
    }

    #[test]
    fn a_supervisor_may_name_only_places_of_their_area() {
        let reach = Reach::of(&user(Role::Supervisor, &["340688001001"], None));
        let community_of = |g: &str| g.get(..12).map(str::to_owned);
        assert!(reach.may_name("340688001001", community_of));
        assert!(reach.may_name("340688001001007", community_of));
        assert!(!reach.may_name("340688002001", community_of));
        assert!(!reach.may_name("340688002001003", community_of));
        assert!(Reach::All.may_name("340688002001", community_of));
    }

    #[test]
    fn an_officer_reaches_their_own_tasks_only() {
        let reach = Reach::of(&user(Role::Officer, &[], Some("ZF0001")));
        assert!(reach.covers(None, None, Some("ZF0001")));
        assert!(!reach.covers(None, None, Some("ZF0002")));
        assert!(!reach.covers(None, None, None));
        let codeless = Reach::of(&user(Role::Officer, &[], None));
        assert!(!codeless.covers(None, None, Some("")));
    }
}
