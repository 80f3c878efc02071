//! The views of the web app, one per kind of daily work, and which roles have which.

use citygrid_core::account::Role;
use leptos::prelude::*;

mod admin;
mod approvals;
mod assess;
mod campaign_action;
mod campaigns;
mod case_list;
mod checklist_editor;
mod desk_report;
mod dispatch;
mod hotline;
mod layer_files;
mod login_throttles;
mod officer;
mod overview;
mod periods;
mod planner;
mod report_draft;
mod reports;
mod supervisor;
mod task;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Map,
    Cases,
    Supervisor,
    Dispatch,
    Planner,
    Reports,
    Officer,
    Admin,
    Periods,
    Assess,
    Campaigns,
    Action,
    Approvals,
    Hotline,
}

impl Page {
    /// The views a role has, its home first.
    pub fn for_role(role: Role) -> Vec<Page> {
        use Page as V;
        match role {
            Role::Admin => vec![
                V::Map,
                V::Cases,
                V::Dispatch,
                V::Planner,
                V::Reports,
                V::Periods,
                V::Assess,
                V::Campaigns,
                V::Action,
                V::Approvals,
                V::Hotline,
                V::Admin,
            ],
            Role::Leader => vec![
                V::Reports,
                V::Periods,
                V::Campaigns,
                V::Planner,
                V::Map,
                V::Cases,
            ],
            Role::Supervisor => vec![
                V::Supervisor,
                V::Map,
                V::Cases,
                V::Assess,
                V::Campaigns,
                V::Action,
                V::Periods,
            ],
            Role::Dispatcher => vec![V::Dispatch, V::Hotline, V::Approvals, V::Cases, V::Map],
            Role::Officer => vec![V::Officer, V::Assess, V::Action],
            Role::Planner => vec![
                V::Planner,
                V::Map,
                V::Cases,
                V::Reports,
                V::Periods,
                V::Campaigns,
            ],
        }
    }

    pub fn home(role: Role) -> Page {
        Page::for_role(role).first().copied().unwrap_or(Page::Map)
    }

    /// Its name in the address (`#dispatch`) and in the page's classes.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Map => "map",
            Page::Cases => "cases",
            Page::Supervisor => "supervisor",
            Page::Dispatch => "dispatch",
            Page::Planner => "planner",
            Page::Reports => "reports",
            Page::Officer => "officer",
            Page::Admin => "admin",
            Page::Periods => "periods",
            Page::Assess => "assess",
            Page::Campaigns => "campaigns",
            Page::Action => "action",
            Page::Approvals => "approvals",
            Page::Hotline => "hotline",
        }
    }

    /// The key of its menu label.
    pub fn label(self) -> &'static str {
        match self {
            Page::Map => "view_map",
            Page::Cases => "view_cases",
            Page::Supervisor => "view_supervisor",
            Page::Dispatch => "view_dispatch",
            Page::Planner => "view_planner",
            Page::Reports => "view_reports",
            Page::Officer => "view_officer",
            Page::Admin => "view_admin",
            Page::Periods => "view_periods",
            Page::Assess => "view_assess",
            Page::Campaigns => "view_campaigns",
            Page::Action => "view_action",
            Page::Approvals => "view_approvals",
            Page::Hotline => "view_hotline",
        }
    }

    /// Whether the view takes the whole page (tables), leaving the map aside.
    pub fn wide(self) -> bool {
        matches!(
            self,
            Page::Reports | Page::Admin | Page::Periods | Page::Approvals
        )
    }

    pub fn render(self) -> AnyView {
        match self {
            Page::Map => overview::MapView().into_any(),
            Page::Cases => case_list::CaseListView().into_any(),
            Page::Supervisor => supervisor::SupervisorView().into_any(),
            Page::Dispatch => dispatch::DispatchView().into_any(),
            Page::Planner => planner::PlannerView().into_any(),
            Page::Reports => reports::ReportsView().into_any(),
            Page::Officer => officer::OfficerView().into_any(),
            Page::Admin => admin::AdminView().into_any(),
            Page::Periods => periods::PeriodsView().into_any(),
            Page::Assess => assess::AssessView().into_any(),
            Page::Campaigns => campaigns::CampaignsView().into_any(),
            Page::Action => campaign_action::CampaignActionView().into_any(),
            Page::Approvals => approvals::ApprovalsView().into_any(),
            Page::Hotline => hotline::HotlineView().into_any(),
        }
    }
}
