//! A case as answered: with whether (and by how much working time) it is overdue, computed at
//! reading time and never stored; the reporter's contact only for those who may see it.

use chrono::{DateTime, Utc};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::case::Case;

pub use citygrid_core::api::cases::CaseView;

/// The case as `now` sees it; `contacts` says whether the reader may see the reporter's.
pub fn view(
    mut case: Case,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
    contacts: bool,
) -> CaseView {
    let overdue = case.status.awaits_handling() && now > case.deadline;
    let overdue_minutes = if overdue {
        calendar.working_minutes_between(case.deadline, now)
    } else {
        0
    };
    if !contacts {
        case.reporter = None;
    }
    CaseView {
        case,
        overdue,
        overdue_minutes,
        events: None,
    }
}
