//! 12345 hotline work orders (工单, FIELDWORK §6): the order types with the working time the
//! bureau has to reply in (`data/hotline.json`), an order's due time by the working calendar,
//! and its loop — accept, link a case, reply, ask for more time before the due time, be urged
//! when overdue, be called back, be handled again when the caller is dissatisfied for the
//! bureau's reasons, close — as events folded into a state. Pure: the server keeps the events,
//! the web app shows only the steps the state allows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::LonLat;
use crate::approval::{ApprovalLimit, limit_minutes};
use crate::calendar::WorkingCalendar;
use crate::campaign::FieldError;

/// A type of work order and the time the bureau has to reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderType {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The same day, or N working days (`13d`).
    pub reply_within: ApprovalLimit,
}

/// The hotline's rules (`data/hotline.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HotlineRules {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    pub types: Vec<OrderType>,
    /// The reply time of an order marked urgent, whatever its type.
    pub urgent_within: ApprovalLimit,
    /// The callback's time after the reply.
    pub callback_within: ApprovalLimit,
}

impl HotlineRules {
    pub fn get(&self, code: &str) -> Option<&OrderType> {
        self.types.iter().find(|t| t.code == code)
    }

    /// Codes given once, names given.
    pub fn check(&self) -> Result<(), FieldError> {
        let mut seen = std::collections::HashSet::new();
        for (i, t) in self.types.iter().enumerate() {
            if t.code.is_empty() || !seen.insert(t.code.as_str()) {
                return Err(FieldError::new(
                    format!("types[{i}].code"),
                    format!("type code {:?} is empty or given twice", t.code),
                ));
            }
            if t.name_zh.trim().is_empty() {
                return Err(FieldError::new(
                    format!("types[{i}].name_zh"),
                    "a type needs a name",
                ));
            }
        }
        Ok(())
    }

    /// Checks rules that are to replace `previous`: every type kept (orders carry its code),
    /// a working-day limit of 1 to 60 days.
    pub fn check_replacing(&self, previous: &HotlineRules) -> Result<(), FieldError> {
        self.check()?;
        for old in &previous.types {
            if self.get(&old.code).is_none() {
                return Err(FieldError::new(
                    "types",
                    format!("type {} cannot be removed (orders carry it)", old.code),
                ));
            }
        }
        let limits = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("types[{i}].reply_within"), t.reply_within))
            .chain([
                ("urgent_within".to_owned(), self.urgent_within),
                ("callback_within".to_owned(), self.callback_within),
            ]);
        for (field, limit) in limits {
            if let ApprovalLimit::WorkingDays(d) = limit
                && !(1..=60).contains(&d)
            {
                return Err(FieldError::new(field, "between 1 and 60 working days"));
            }
        }
        Ok(())
    }

    /// When the reply to an order of type `t` received at `received` is due.
    pub fn due(
        &self,
        cal: &WorkingCalendar,
        t: &OrderType,
        urgent: bool,
        received: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let limit = if urgent {
            self.urgent_within
        } else {
            t.reply_within
        };
        cal.add_working_minutes(received, limit_minutes(cal, limit, received))
    }
}

/// How satisfied the caller said they were at the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

impl Satisfaction {
    pub fn zh(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::BasicallySatisfied => "基本满意",
            Satisfaction::Dissatisfied => "不满意",
        }
    }

    /// Counted as satisfied in the satisfaction rate (满意 and 基本满意).
    pub fn counts_satisfied(self) -> bool {
        self != Satisfaction::Dissatisfied
    }
}

/// One step of an order's loop, as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderEvent {
    Accepted {
        at: DateTime<Utc>,
        by: String,
    },
    /// The dispatcher's category and place for the order: what a suggestion offered and what
    /// they confirmed or put instead (a correction teaches the next training).
    Classified {
        at: DateTime<Utc>,
        by: String,
        category: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        point: Option<LonLat>,
        /// The community the point lies in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        community: Option<String>,
        /// The category the suggester put first, when there was one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        suggested: Option<String>,
    },
    /// Linked to the case that does the field work.
    Linked {
        at: DateTime<Utc>,
        by: String,
        case: i64,
    },
    Replied {
        at: DateTime<Utc>,
        by: String,
        text: String,
    },
    /// More time asked for before the due time: the reply is due `until` instead.
    Extended {
        at: DateTime<Utc>,
        by: String,
        until: DateTime<Utc>,
        reason: String,
    },
    /// Urged (催办) by the centre or the bureau, the order being overdue.
    Urged {
        at: DateTime<Utc>,
        by: String,
    },
    CalledBack {
        at: DateTime<Utc>,
        by: String,
        solved: bool,
        satisfaction: Satisfaction,
        /// Dissatisfied for the bureau's reasons (not the caller's, not another body's).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        bureau_at_fault: bool,
    },
    /// Sent back to be handled again; the reply is due anew.
    Rehandled {
        at: DateTime<Utc>,
        by: String,
        reason: String,
        due: DateTime<Utc>,
    },
    Closed {
        at: DateTime<Utc>,
        by: String,
    },
}

impl OrderEvent {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            OrderEvent::Accepted { at, .. }
            | OrderEvent::Classified { at, .. }
            | OrderEvent::Linked { at, .. }
            | OrderEvent::Replied { at, .. }
            | OrderEvent::Extended { at, .. }
            | OrderEvent::Urged { at, .. }
            | OrderEvent::CalledBack { at, .. }
            | OrderEvent::Rehandled { at, .. }
            | OrderEvent::Closed { at, .. } => *at,
        }
    }
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Come in, not yet accepted.
    Received,
    /// Being handled, the reply due.
    Accepted,
    /// Replied, the callback to come.
    Replied,
    CalledBack,
    Closed,
}

impl std::str::FromStr for OrderStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            OrderStatus::Received,
            OrderStatus::Accepted,
            OrderStatus::Replied,
            OrderStatus::CalledBack,
            OrderStatus::Closed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| format!("unknown status {s:?}"))
    }
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Replied => "replied",
            OrderStatus::CalledBack => "called_back",
            OrderStatus::Closed => "closed",
        }
    }
}

/// What the loop's events come to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderState {
    pub status: OrderStatus,
    /// When the (current) reply is due.
    pub due: DateTime<Utc>,
    /// The first reply, and the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reply: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replied_at: Option<DateTime<Utc>>,
    /// Every reply came by its due time.
    pub replied_on_time: bool,
    pub urged: u32,
    pub rehandled: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<Satisfaction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved: Option<bool>,
    /// The last callback found the caller dissatisfied for the bureau's reasons.
    pub to_rehandle: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<i64>,
    /// The category and place the dispatcher settled on (the latest classification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<LonLat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// Whether the suggester's first category was the one settled on, when it offered one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion_kept: Option<bool>,
}

impl OrderState {
    /// Whether the reply is overdue at `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        matches!(self.status, OrderStatus::Received | OrderStatus::Accepted) && now > self.due
    }
}

/// Folds an order's events, in order, from its first due time.
pub fn fold(due: DateTime<Utc>, events: &[OrderEvent]) -> OrderState {
    let mut s = OrderState {
        status: OrderStatus::Received,
        due,
        first_reply: None,
        replied_at: None,
        replied_on_time: true,
        urged: 0,
        rehandled: 0,
        satisfaction: None,
        solved: None,
        to_rehandle: false,
        cases: Vec::new(),
        category: None,
        point: None,
        community: None,
        suggestion_kept: None,
    };
    for e in events {
        match e {
            OrderEvent::Accepted { .. } => s.status = OrderStatus::Accepted,
            OrderEvent::Classified {
                category,
                point,
                community,
                suggested,
                ..
            } => {
                s.suggestion_kept = suggested.as_ref().map(|x| x == category);
                s.category = Some(category.clone());
                s.point = *point;
                s.community.clone_from(community);
            }
            OrderEvent::Linked { case, .. } => {
                if !s.cases.contains(case) {
                    s.cases.push(*case);
                }
            }
            OrderEvent::Replied { at, .. } => {
                s.status = OrderStatus::Replied;
                s.first_reply.get_or_insert(*at);
                s.replied_at = Some(*at);
                s.replied_on_time &= *at <= s.due;
            }
            OrderEvent::Extended { until, .. } => s.due = *until,
            OrderEvent::Urged { .. } => s.urged += 1,
            OrderEvent::CalledBack {
                solved,
                satisfaction,
                bureau_at_fault,
                ..
            } => {
                s.status = OrderStatus::CalledBack;
                s.satisfaction = Some(*satisfaction);
                s.solved = Some(*solved);
                s.to_rehandle = *satisfaction == Satisfaction::Dissatisfied && *bureau_at_fault;
            }
            OrderEvent::Rehandled { due, .. } => {
                s.status = OrderStatus::Accepted;
                s.rehandled += 1;
                s.due = *due;
                s.to_rehandle = false;
            }
            OrderEvent::Closed { .. } => s.status = OrderStatus::Closed,
        }
    }
    s
}

/// What a desk asks to do next with an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderAction {
    Accept,
    /// Confirm or correct the category and place (a point in WGS 84) the order is about;
    /// `suggested` is the category the suggester offered first.
    Classify {
        category: String,
        #[serde(default)]
        point: Option<LonLat>,
        #[serde(default)]
        suggested: Option<String>,
    },
    /// Create the case that does the field work from the order's words, category and place,
    /// through the case service, and link it.
    CreateCase,
    Link {
        case: i64,
    },
    Reply {
        text: String,
    },
    RequestExtension {
        until: DateTime<Utc>,
        reason: String,
    },
    Urge,
    Callback {
        solved: bool,
        satisfaction: Satisfaction,
        #[serde(default)]
        bureau_at_fault: bool,
    },
    Rehandle {
        reason: String,
    },
    Close,
}

/// The longest reply, reason or note kept (characters).
pub const MAX_TEXT: usize = 2000;

/// Whether `action` may be taken on an order in `state` at `now`; the error names the field
/// and says what the state allows.
pub fn may_take(
    state: &OrderState,
    action: &OrderAction,
    now: DateTime<Utc>,
) -> Result<(), FieldError> {
    use OrderStatus as S;
    let refuse = |why: &str| Err(FieldError::new("action.type", why.to_owned()));
    let text = |field: &str, t: &str| {
        if t.trim().is_empty() {
            Err(FieldError::new(field, "must be given"))
        } else if t.chars().count() > MAX_TEXT {
            Err(FieldError::new(
                field,
                format!("at most {MAX_TEXT} characters"),
            ))
        } else {
            Ok(())
        }
    };
    if state.status == S::Closed {
        return refuse("the order is closed and takes no further step");
    }
    match action {
        OrderAction::Accept if state.status != S::Received => {
            refuse("the order is already accepted")
        }
        OrderAction::Accept | OrderAction::Link { .. } | OrderAction::Classify { .. } => Ok(()),
        OrderAction::CreateCase => {
            if state.category.is_none() || state.point.is_none() {
                refuse("settle the order's category and place before creating its case")
            } else if state.status == S::Received {
                refuse("accept the order before creating its case")
            } else {
                Ok(())
            }
        }
        OrderAction::Reply { text: t } => {
            if state.status != S::Accepted {
                return refuse(match state.status {
                    S::Received => "accept the order before replying",
                    _ => "the order is replied; a new reply follows a re-handling",
                });
            }
            text("action.text", t)
        }
        OrderAction::RequestExtension { until, reason } => {
            if state.status != S::Accepted {
                return refuse("more time is asked for while the order is being handled");
            }
            if now >= state.due {
                return refuse("more time is asked for before the due time, not after it");
            }
            if *until <= state.due {
                return Err(FieldError::new(
                    "action.until",
                    "an extension ends after the current due time",
                ));
            }
            text("action.reason", reason)
        }
        OrderAction::Urge => {
            if state.overdue(now) {
                Ok(())
            } else {
                refuse("only an order past its due time without a reply is urged")
            }
        }
        OrderAction::Callback { .. } => {
            if state.status == S::Replied {
                Ok(())
            } else {
                refuse("the caller is called back after the reply")
            }
        }
        OrderAction::Rehandle { reason } => {
            if !state.to_rehandle {
                return refuse(
                    "an order is handled again when the callback found the caller dissatisfied for the bureau's reasons",
                );
            }
            text("action.reason", reason)
        }
        OrderAction::Close => {
            if matches!(state.status, S::Replied | S::CalledBack) && !state.to_rehandle {
                Ok(())
            } else if state.to_rehandle {
                refuse("the caller is dissatisfied for the bureau's reasons: handle it again first")
            } else {
                refuse("an order is closed after its reply")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> HotlineRules {
        serde_json::from_str(include_str!("../../../data/hotline.json")).unwrap()
    }

    fn cal() -> WorkingCalendar {
        WorkingCalendar::from_json(include_str!("../../../data/calendar.json")).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn due_times_by_type_across_a_weekend_and_the_national_day_holiday() {
        let (r, c) = (rules(), cal());
        r.check().unwrap();
        let complaint = r.get("complaint").unwrap();
        let consultation = r.get("consultation").unwrap();
        // Wednesday 30 Sep 10:00, a consultation: 330 minutes that day, 1–7 Oct off, Thu 8
        // and Fri 9 give 840 more; the last 90 of 1,260 end Sat 10 Oct (worked) at 10:00.
        let received = at("2026-09-30T10:00:00+08:00");
        assert_eq!(
            r.due(&c, consultation, false, received),
            at("2026-10-10T10:00:00+08:00")
        );
        // Urgent: the rest of that working day.
        assert_eq!(
            r.due(&c, complaint, true, received),
            at("2026-09-30T17:30:00+08:00")
        );
        // Friday 25 Sep (Mid-Autumn holiday) 20:00, urgent: the whole of Monday 28.
        assert_eq!(
            r.due(&c, complaint, true, at("2026-09-25T20:00:00+08:00")),
            at("2026-09-28T17:30:00+08:00")
        );
        // A complaint on Friday 18 Sep 16:00: 90 minutes that day; Sun 20 Sep worked (调休);
        // 21–24 Sep, 28–30 Sep, 8–10 Oct, 12 Oct: 12 more days of 420 — 5,130 of 5,460 —
        // then 330 minutes of Tue 13 Oct (210 by noon, 120 from 14:00): 16:00.
        assert_eq!(
            r.due(&c, complaint, false, at("2026-09-18T16:00:00+08:00")),
            at("2026-10-13T16:00:00+08:00")
        );
    }

    #[test]
    fn edited_rules_keep_every_type_and_a_sensible_limit() {
        let old = rules();
        let mut next = old.clone();
        next.types[0].reply_within = ApprovalLimit::WorkingDays(10);
        next.types[0].name_zh = "投诉举报".into();
        assert!(next.check_replacing(&old).is_ok());
        let mut removed = old.clone();
        removed.types.pop();
        assert_eq!(removed.check_replacing(&old).unwrap_err().field, "types");
        let mut zero = old.clone();
        zero.types[1].reply_within = ApprovalLimit::WorkingDays(0);
        assert_eq!(
            zero.check_replacing(&old).unwrap_err().field,
            "types[1].reply_within"
        );
    }

    #[test]
    fn the_loop_allows_each_step_in_its_turn() {
        let due = at("2026-10-10T10:00:00+08:00");
        let mut events = Vec::new();
        let step = |events: &mut Vec<OrderEvent>, e: OrderEvent| events.push(e);
        let now = at("2026-10-08T09:00:00+08:00");
        let s = fold(due, &events);
        assert_eq!(s.status, OrderStatus::Received);
        assert!(
            may_take(
                &s,
                &OrderAction::Reply {
                    text: "已处理".into()
                },
                now
            )
            .is_err(),
            "accept first"
        );
        assert!(
            may_take(
                &s,
                &OrderAction::Callback {
                    solved: true,
                    satisfaction: Satisfaction::Satisfied,
                    bureau_at_fault: false
                },
                now
            )
            .is_err()
        );
        step(
            &mut events,
            OrderEvent::Accepted {
                at: now,
                by: "d".into(),
            },
        );
        let s = fold(due, &events);
        assert!(
            may_take(&s, &OrderAction::CreateCase, now).is_err(),
            "no category or place yet"
        );
        let classify = |category: &str| OrderEvent::Classified {
            at: now,
            by: "d".into(),
            category: category.into(),
            point: LonLat::new(121.5, 31.2).ok(),
            community: Some("C01".into()),
            suggested: Some("fumes".into()),
        };
        step(&mut events, classify("street_vending"));
        assert_eq!(fold(due, &events).suggestion_kept, Some(false));
        step(&mut events, classify("fumes"));
        let s = fold(due, &events);
        assert_eq!(
            (s.category.as_deref(), s.suggestion_kept),
            (Some("fumes"), Some(true)),
            "the latest classification counts"
        );
        assert!(may_take(&s, &OrderAction::CreateCase, now).is_ok());
        assert!(
            may_take(&s, &OrderAction::Urge, now).is_err(),
            "not yet overdue"
        );
        assert!(may_take(&s, &OrderAction::Urge, at("2026-10-10T10:01:00+08:00")).is_ok());
        let long = "长".repeat(MAX_TEXT + 1);
        assert_eq!(
            may_take(&s, &OrderAction::Reply { text: long }, now)
                .unwrap_err()
                .field,
            "action.text"
        );
        // More time, asked before the due time.
        let later = at("2026-10-14T17:30:00+08:00");
        assert!(
            may_take(
                &s,
                &OrderAction::RequestExtension {
                    until: later,
                    reason: "需协调供电部门".into()
                },
                now
            )
            .is_ok()
        );
        assert!(
            may_take(
                &s,
                &OrderAction::RequestExtension {
                    until: later,
                    reason: "x".into()
                },
                at("2026-10-10T11:00:00+08:00")
            )
            .is_err()
        );
        step(
            &mut events,
            OrderEvent::Extended {
                at: now,
                by: "d".into(),
                until: later,
                reason: "需协调".into(),
            },
        );
        step(
            &mut events,
            OrderEvent::Replied {
                at: at("2026-10-13T10:00:00+08:00"),
                by: "d".into(),
                text: "已拆除".into(),
            },
        );
        let s = fold(due, &events);
        assert!(s.replied_on_time, "within the extension");
        assert!(
            may_take(
                &s,
                &OrderAction::Reply {
                    text: "again".into()
                },
                now
            )
            .is_err()
        );
        step(
            &mut events,
            OrderEvent::CalledBack {
                at: at("2026-10-14T10:00:00+08:00"),
                by: "d".into(),
                solved: false,
                satisfaction: Satisfaction::Dissatisfied,
                bureau_at_fault: true,
            },
        );
        let s = fold(due, &events);
        assert!(s.to_rehandle);
        assert!(
            may_take(&s, &OrderAction::Close, now).is_err(),
            "handle it again first"
        );
        let redue = at("2026-10-20T10:00:00+08:00");
        step(
            &mut events,
            OrderEvent::Rehandled {
                at: at("2026-10-14T11:00:00+08:00"),
                by: "d".into(),
                reason: "未彻底整改".into(),
                due: redue,
            },
        );
        let s = fold(due, &events);
        assert_eq!(
            (s.status, s.rehandled, s.due),
            (OrderStatus::Accepted, 1, redue)
        );
        step(
            &mut events,
            OrderEvent::Replied {
                at: at("2026-10-21T10:00:00+08:00"),
                by: "d".into(),
                text: "已彻底拆除".into(),
            },
        );
        let s = fold(due, &events);
        assert!(!s.replied_on_time, "the second reply came late");
        assert_eq!(s.first_reply, Some(at("2026-10-13T10:00:00+08:00")));
        step(
            &mut events,
            OrderEvent::CalledBack {
                at: at("2026-10-22T10:00:00+08:00"),
                by: "d".into(),
                solved: true,
                satisfaction: Satisfaction::BasicallySatisfied,
                bureau_at_fault: false,
            },
        );
        let s = fold(due, &events);
        assert!(may_take(&s, &OrderAction::Rehandle { reason: "x".into() }, now).is_err());
        step(
            &mut events,
            OrderEvent::Closed {
                at: at("2026-10-22T11:00:00+08:00"),
                by: "d".into(),
            },
        );
        let s = fold(due, &events);
        assert_eq!(s.status, OrderStatus::Closed);
        assert!(s.satisfaction.unwrap().counts_satisfied());
        assert_eq!(
            may_take(&s, &OrderAction::Reply { text: "x".into() }, now)
                .unwrap_err()
                .field,
            "action.type"
        );
    }
}
