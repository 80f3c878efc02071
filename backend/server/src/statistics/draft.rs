//! The quarterly report's narrative draft (issue 21, in progress): the quarter's figures — and
//! those of the quarter before and of the same quarter a year before, where there are any —
//! laid out as one context, and the bureau's templates (`data/report_draft.json`, MiniJinja)
//! written over it with the report's number words (`citygrid-core::report_words`). A paragraph
//! that comes out empty is left out; a template naming a figure the context does not have is
//! refused, naming it.

use std::collections::BTreeSet;

use citygrid_core::api::analytics::{QuarterlyReport, SanitationLine};
use citygrid_core::api::report_draft::{
    DraftParagraph, DraftSection, DraftTemplates, ReportDraft, SourceLink,
};
use citygrid_core::features::SectionArea;
use citygrid_core::report_words as words;
use minijinja::{Environment, Value as Jinja};
use serde_json::{Value, json};

use std::sync::Arc;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};

use crate::record_error::RecordError;
use crate::store::{SettingChange, Store};

/// The setting that holds the templates an admin saved.
pub const KEY: &str = "report_draft";

/// The templates in use: the shipped ones until an admin saves others, each checked first.
#[derive(Clone)]
pub struct DraftBook {
    store: Arc<dyn Store>,
    current: Arc<ArcSwap<DraftTemplates>>,
}

impl std::fmt::Debug for DraftBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftBook")
            .field("sections", &self.current().sections.len())
            .finish()
    }
}

/// A context with every figure a template may name (an empty quarter's).
pub fn sample() -> Value {
    let empty = QuarterlyReport {
        quarter: "2026-Q3".into(),
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MIN,
        received: 0,
        by_source: Vec::new(),
        by_category: Vec::new(),
        by_community: Vec::new(),
        hotline: citygrid_core::api::analytics::Hotline {
            received: 0,
            answered: 0,
            share_answered: None,
        },
        evaluation: None,
        recurring: Vec::new(),
        emerging: std::collections::BTreeMap::new(),
        // Both areas present, so that a template's every sanitation figure is checked by name.
        inspections: Some(citygrid_core::api::analytics::Inspections {
            sanitation: [SectionArea::Urban, SectionArea::Rural]
                .into_iter()
                .map(|area| SanitationLine {
                    area,
                    sections: 0,
                    daily: 0,
                    comprehensive: 0,
                    dust_samplings: 0,
                    notices: 0,
                    deducted: 0.0,
                    periods_signed: 0,
                    periods_assessed: 0,
                })
                .collect(),
            door_front: citygrid_core::api::analytics::DoorFrontLine {
                surveys: 0,
                shops_surveyed: 0,
                shops: 0,
                incomplete_records: 0,
                by_rating: Vec::new(),
                notices: 0,
            },
        }),
        campaigns: None,
        approvals: None,
        work_orders: None,
    };
    context(&empty, None, None)
}

impl DraftBook {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: Arc::new(ArcSwap::from_pointee(builtin())),
        }
    }

    pub fn current(&self) -> Arc<DraftTemplates> {
        self.current.load_full()
    }

    /// Takes the templates an admin saved earlier, if any.
    pub async fn load_saved(&self) -> Result<bool, RecordError> {
        let Some(text) = self.store.setting(KEY).await? else {
            return Ok(false);
        };
        let saved: DraftTemplates = serde_json::from_str(&text)
            .map_err(|e| RecordError::field("report_draft", format!("the saved templates: {e}")))?;
        self.current.store(Arc::new(saved));
        Ok(true)
    }

    /// Checks templates (each reads, names only figures there are), stores and applies them.
    pub async fn save(
        &self,
        next: DraftTemplates,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<DraftTemplates, RecordError> {
        check(&next, &sample())?;
        let text = serde_json::to_string(&next)
            .map_err(|e| RecordError::field("sections", e.to_string()))?;
        self.store
            .set_setting(&SettingChange::new(KEY, &text, by, now))
            .await?;
        self.current.store(Arc::new(next.clone()));
        Ok(next)
    }
}

/// The shipped templates.
pub const BUILTIN_DRAFT: &str = include_str!("../../../../data/report_draft.json");

/// The shipped templates, read (checked by the tests; empty should they ever not read).
pub fn builtin() -> DraftTemplates {
    serde_json::from_str(BUILTIN_DRAFT).unwrap_or(DraftTemplates {
        about: String::new(),
        title: String::new(),
        sections: Vec::new(),
    })
}

/// The functions a template may call besides the figures.
const FUNCTIONS: [&str; 1] = ["change"];

fn number(v: &Jinja) -> f64 {
    f64::try_from(v.clone()).unwrap_or(0.0)
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("count", |v: Jinja| words::count(number(&v).max(0.0) as u64));
    env.add_filter("quantity", |v: Jinja| words::quantity(number(&v)));
    env.add_filter("approx", |v: Jinja| words::approx(number(&v)));
    env.add_filter("over", |v: Jinja| words::over(number(&v)));
    env.add_filter("money", |v: Jinja| words::money(number(&v)));
    env.add_filter("percent", |v: Jinja| words::percent(number(&v)));
    env.add_function("change", |now: Jinja, before: Jinja, word: String| {
        let before = (!before.is_none() && !before.is_undefined()).then(|| number(&before));
        words::change(number(&now), before, &word)
    });
    env
}

/// The headline figures of a quarter compared with another (`None`: no records then).
fn headline(r: Option<&QuarterlyReport>) -> Value {
    let Some(r) = r else {
        return json!({ "cases_received": null, "orders_received": null,
                       "approvals_handled": null, "door_front_shops": null, "deducted": null });
    };
    json!({
        "cases_received": r.received,
        "orders_received": r.work_orders.as_ref().map(|w| w.total.received),
        "approvals_handled": r.approvals.as_ref().map(|a| a.handled),
        "door_front_shops": r.inspections.as_ref().map(|i| i.door_front.shops_surveyed),
        "deducted": r.inspections.as_ref().map(|i| i.sanitation.iter().map(|s| s.deducted).sum::<f64>()),
    })
}

fn sanitation(r: &QuarterlyReport, area: SectionArea) -> Value {
    r.inspections
        .as_ref()
        .and_then(|i| i.sanitation.iter().find(|s| s.area == area))
        .map_or(Value::Null, |s: &SanitationLine| {
            json!({ "daily": s.daily, "comprehensive": s.comprehensive,
                    "dust_samplings": s.dust_samplings, "notices": s.notices,
                    "deducted": s.deducted, "sections": s.sections })
        })
}

/// The categories whose cases rose most against the same quarter a year before (at least a
/// fifth and five cases more), the problems the draft proposes.
fn rising(r: &QuarterlyReport, last_year: Option<&QuarterlyReport>) -> Vec<Value> {
    let Some(before) = last_year else {
        return Vec::new();
    };
    let mut up: Vec<(f64, Value)> = r
        .by_category
        .iter()
        .filter_map(|c| {
            let was = before.by_category.iter().find(|b| b.code == c.code)?.cases;
            let rate = (c.cases as f64 - was as f64) / was.max(1) as f64;
            (was > 0 && c.cases >= was + 5 && rate >= 0.2).then(|| {
                (
                    rate,
                    json!({ "name": c.name, "now": c.cases, "before": was,
                            "change": words::change(c.cases as f64, Some(was as f64), "同比") }),
                )
            })
        })
        .collect();
    up.sort_by(|a, b| b.0.total_cmp(&a.0));
    up.into_iter().take(3).map(|(_, v)| v).collect()
}

/// Everything a template may name.
pub fn context(
    r: &QuarterlyReport,
    previous: Option<&QuarterlyReport>,
    last_year: Option<&QuarterlyReport>,
) -> Value {
    let source = |key: &str| {
        r.by_source
            .iter()
            .find(|l| l.key == key)
            .map_or(0, |l| l.cases)
    };
    let ratio = |f: fn(
        &citygrid_core::api::analytics::Evaluation,
    ) -> &citygrid_core::api::analytics::Ratio| { r.evaluation.as_ref().map(f) };
    let closed = ratio(|e| &e.closed);
    let on_time = ratio(|e| &e.handled_on_time);
    let mut top: Vec<_> = r.by_category.iter().filter(|c| c.cases > 0).collect();
    top.sort_by_key(|c| std::cmp::Reverse(c.cases));
    let quarter = r
        .quarter
        .parse::<citygrid_core::api::analytics::Quarter>()
        .ok();
    let door = r.inspections.as_ref().map(|i| &i.door_front);
    let hotline = r.work_orders.as_ref().map(|w| {
        let t = &w.total;
        json!({
            "received": t.received,
            "types": t.by_type.iter().map(|(k, n)| json!({
                "code": k, "name": w.type_names.get(k).cloned().unwrap_or_else(|| k.clone()), "count": n })).collect::<Vec<_>>(),
            "replied": t.replied, "replied_on_time": t.replied_on_time,
            "on_time_share": if t.replied > 0 { t.replied_on_time as f64 / t.replied as f64 } else { 0.0 },
            "called_back": t.called_back, "satisfied": t.satisfied,
            "satisfied_rate": t.satisfied_rate.unwrap_or(0.0),
            "rehandled": t.rehandled, "overdue": t.overdue,
        })
    });
    json!({
        "quarter": {
            "label": r.quarter,
            "year": quarter.map_or(0, |q| q.year),
            "number": quarter.map_or(0, |q| q.number),
            "name": words::quarter_name(quarter.map_or(1, |q| q.number)),
        },
        "cases": {
            "received": r.received,
            "closed": closed.map_or(0, |c| c.numerator),
            "closed_share": closed.and_then(|c| c.rate).unwrap_or(0.0),
            "on_time_share": on_time.and_then(|c| c.rate).unwrap_or(0.0),
            "overdue_share": on_time.and_then(|c| c.rate).map_or(0.0, |x| 1.0 - x),
            "hotline": source("hotline"),
            "patrol": source("patrol"),
            "top": top.iter().take(5).map(|c| json!({
                "code": c.code, "name": c.name, "cases": c.cases, "quantity": c.quantity, "unit": c.unit })).collect::<Vec<_>>(),
        },
        "door_front": door.map_or_else(|| json!({ "surveys": 0, "shops_surveyed": 0, "notices": 0, "incomplete_records": 0 }), |d| json!({
            "surveys": d.surveys, "shops_surveyed": d.shops_surveyed,
            "notices": d.notices, "incomplete_records": d.incomplete_records })),
        "campaigns": r.campaigns.iter().flatten().map(|c| json!({
            "id": c.campaign, "name": c.name, "kind": c.kind_name_zh, "actions": c.actions, "cases": c.cases,
            "totals": c.totals.iter().map(|t| json!({
                "item": t.item, "name": t.name_zh, "quantity": t.quantity, "unit": t.unit.zh(),
                "fine": t.parties.is_some(), "parties": t.parties.unwrap_or(0) })).collect::<Vec<_>>(),
            "rates": c.rates.iter().map(|x| json!({
                "item": x.item,
                "name": c.totals.iter().find(|t| t.item == x.item).map_or(x.item.as_str(), |t| t.name_zh.as_str()),
                "share": if x.denominator > 0.0 { x.numerator / x.denominator } else { 0.0 } })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "sanitation": {
            "urban": sanitation(r, SectionArea::Urban),
            "rural": sanitation(r, SectionArea::Rural),
        },
        "approvals": r.approvals.as_ref().map_or_else(|| json!({ "handled": 0, "same_day": 0, "types": [] }), |a| json!({
            "handled": a.handled, "same_day": a.same_day, "on_time": a.on_time,
            "types": a.types.iter().filter(|t| t.handled > 0).map(|t| json!({
                "code": t.kind, "name": t.name_zh, "handled": t.handled, "same_day": t.same_day })).collect::<Vec<_>>() })),
        "hotline": hotline.unwrap_or_else(|| json!({ "received": 0, "types": [], "replied": 0, "replied_on_time": 0,
            "on_time_share": 0.0, "called_back": 0, "satisfied": 0, "satisfied_rate": 0.0, "rehandled": 0, "overdue": 0 })),
        "problems": {
            "rising": rising(r, last_year),
            "recurring": r.recurring.iter().filter(|p| p.months_recurring >= 2).take(3).map(|p| json!({
                "name": p.name,
                "category": r.by_category.iter().find(|c| c.code == p.main_category).map_or(p.main_category.as_str(), |c| c.name.as_str()),
                "months": p.months_recurring, "total": p.total })).collect::<Vec<_>>(),
        },
        "previous": headline(previous),
        "last_year": headline(last_year),
    })
}

/// Whether `path` (`a.b.c`) names something in `ctx`.
fn names(ctx: &Value, path: &str) -> bool {
    path.split('.')
        .try_fold(ctx, |at, part| at.get(part))
        .is_some()
}

/// Checks every template: it parses, and names only figures `sample` has.
pub fn check(t: &DraftTemplates, sample: &Value) -> Result<(), RecordError> {
    let env = environment();
    let all = std::iter::once(("title".to_owned(), &t.title)).chain(
        t.sections.iter().enumerate().flat_map(|(i, s)| {
            s.paragraphs
                .iter()
                .enumerate()
                .map(move |(j, p)| (format!("sections[{i}].paragraphs[{j}].text"), &p.text))
        }),
    );
    for (field, text) in all {
        let template = env
            .template_from_str(text)
            .map_err(|e| RecordError::field(&field, format!("does not read: {e}")))?;
        let unknown: BTreeSet<String> = template
            .undeclared_variables(true)
            .into_iter()
            .filter(|v| !FUNCTIONS.contains(&v.as_str()) && !names(sample, v))
            .collect();
        if let Some(v) = unknown.first() {
            return Err(RecordError::field(
                &field,
                format!("there is no figure {v:?} to write"),
            ));
        }
    }
    Ok(())
}

/// The links behind a paragraph's figures.
fn sources(r: &QuarterlyReport, section: &str, paragraph: &str) -> Vec<SourceLink> {
    let days = format!("from={}&to={}", r.from, r.to);
    let last = r.to.pred_opt().unwrap_or(r.to);
    let link = |label: &str, href: String| SourceLink {
        label: label.to_owned(),
        href,
    };
    match (section, paragraph) {
        ("streets", "received" | "by_category" | "sources") => {
            vec![link("案件", format!("/api/v1/cases?{days}"))]
        }
        ("streets", "door_front") | ("sanitation", _) => vec![link(
            "考核",
            format!("/api/v1/assessments?from={}&to={last}", r.from),
        )],
        ("campaigns", _) => r
            .campaigns
            .iter()
            .flatten()
            .map(|c| link(&c.name, format!("/api/v1/campaigns/{}/actions", c.campaign)))
            .collect(),
        ("services", "approvals") => vec![link(
            "审批备案",
            format!("/api/v1/applications?from={}&to={last}", r.from),
        )],
        ("services", "hotline") => vec![link(
            "12345工单",
            format!("/api/v1/work-orders?from={}&to={last}", r.from),
        )],
        _ => Vec::new(),
    }
}

/// The draft the templates write for the quarter `r`.
pub fn render(
    t: &DraftTemplates,
    r: &QuarterlyReport,
    ctx: &Value,
) -> Result<ReportDraft, RecordError> {
    let env = environment();
    let write = |field: &str, text: &str| {
        env.render_str(text, ctx)
            .map(|s| s.trim().to_owned())
            .map_err(|e| RecordError::field(field, format!("cannot be written: {e}")))
    };
    let sections = t
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let paragraphs = s
                .paragraphs
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let text = write(&format!("sections[{i}].paragraphs[{j}].text"), &p.text)?;
                    Ok((!text.is_empty()).then(|| DraftParagraph {
                        key: p.key.clone(),
                        sources: sources(r, &s.key, &p.key),
                        text,
                    }))
                })
                .collect::<Result<Vec<_>, RecordError>>()?
                .into_iter()
                .flatten()
                .collect();
            Ok(DraftSection {
                key: s.key.clone(),
                title: s.title.clone(),
                paragraphs,
            })
        })
        .collect::<Result<Vec<_>, RecordError>>()?;
    Ok(ReportDraft {
        quarter: r.quarter.clone(),
        title: write("title", &t.title)?,
        sections,
    })
}
