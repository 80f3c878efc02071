//! A case as answered: with whether (and by how much working time) it is overdue, computed at
//! reading time and never stored; the reporter's contact only for those who may see it.

use chrono::{DateTime, Utc};
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::case::{Case, CaseEvent};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    /// Whether handling is still due and the deadline has passed.
    pub overdue: bool,
    /// Working minutes past the deadline (0 when not overdue).
    pub overdue_minutes: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<CaseEvent>>,
}

impl CaseView {
    pub fn new(
        mut case: Case,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
        contacts: bool,
    ) -> Self {
        let overdue = case.status.awaits_handling() && now > case.deadline;
        let overdue_minutes = if overdue {
            calendar.working_minutes_between(case.deadline, now)
        } else {
            0
        };
        if !contacts {
            case.reporter = None;
        }
        Self {
            case,
            overdue,
            overdue_minutes,
            events: None,
        }
    }

    #[must_use]
    pub fn with_events(mut self, events: Vec<CaseEvent>) -> Self {
        self.events = Some(events);
        self
    }
}
