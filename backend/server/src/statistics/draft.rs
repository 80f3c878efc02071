//! The quarterly report's narrative draft: the bureau's templates (`data/report_draft.json`,
//! MiniJinja) written over the quarter's context (`draft_context.rs`) with the report's number
//! words (`citygrid-core::report_words`). A paragraph that comes out empty is left out; a
//! template naming a figure the context does not have is refused, naming it.

use std::collections::BTreeSet;
use std::sync::Arc;

use citygrid_core::api::analytics::QuarterlyReport;
use citygrid_core::api::report_draft::{
    DraftEdit, DraftParagraph, DraftSection, DraftTemplates, ReportDraft, ReportText, SourceLink,
};
use citygrid_core::report_words as words;
use minijinja::{Environment, Value as Jinja};
use serde_json::Value;

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};

use crate::record_error::RecordError;
use crate::store::{SettingChange, Store};

pub use super::draft_context::{context, sample};

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

/// The draft the templates write for the quarter `r`, with a leader's edits in place of the
/// paragraphs they name (the figures' links kept) and their plan under the plan section.
pub fn render(
    t: &DraftTemplates,
    r: &QuarterlyReport,
    ctx: &Value,
    edits: Option<&ReportText>,
) -> Result<ReportDraft, RecordError> {
    let env = environment();
    let write = |field: &str, text: &str| {
        env.render_str(text, ctx)
            .map(|s| s.trim().to_owned())
            .map_err(|e| RecordError::field(field, format!("cannot be written: {e}")))
    };
    let edited = |section: &str, key: &str| {
        edits.and_then(|e| {
            e.paragraphs
                .iter()
                .find(|p| p.section == section && p.key == key)
        })
    };
    let plan = edits.map_or("", |e| e.plan.trim());
    let sections = t
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut paragraphs = Vec::new();
            for (j, p) in s.paragraphs.iter().enumerate() {
                let drafted = write(&format!("sections[{i}].paragraphs[{j}].text"), &p.text)?;
                let (text, drafted) = match edited(&s.key, &p.key) {
                    Some(e) if e.text.trim() != drafted => {
                        (e.text.trim().to_owned(), Some(drafted))
                    }
                    _ => (drafted, None),
                };
                if !text.is_empty() {
                    paragraphs.push(DraftParagraph {
                        key: p.key.clone(),
                        sources: sources(r, &s.key, &p.key),
                        text,
                        drafted,
                    });
                }
            }
            if s.key == PLAN && !plan.is_empty() {
                paragraphs.extend(plan.lines().filter(|l| !l.trim().is_empty()).map(|l| {
                    DraftParagraph {
                        key: PLAN.to_owned(),
                        text: l.trim().to_owned(),
                        drafted: None,
                        sources: Vec::new(),
                    }
                }));
            }
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
        comparisons: Vec::new(),
        plan: plan.to_owned(),
        // Only the edits of paragraphs the templates still have: one whose paragraph an admin
        // has since removed stays in the store but is neither shown nor carried into the next
        // edit (which would be refused for naming it).
        edits: edits
            .iter()
            .flat_map(|e| &e.paragraphs)
            .filter(|p| has_paragraph(t, &p.section, &p.key))
            .cloned()
            .collect(),
        version: edits.map_or(0, |e| e.version),
        edited_by: edits.map(|e| e.updated_by.clone()),
        edited_at: edits.map(|e| e.updated_at),
    })
}

/// The section the leader's free-text plan goes under.
pub const PLAN: &str = "plan";

/// The longest paragraph and plan a leader may write, in characters.
const MAX_PARAGRAPH: usize = 4000;
const MAX_PLAN: usize = 20_000;

/// Whether the templates have the paragraph `key` in the section `section`.
fn has_paragraph(t: &DraftTemplates, section: &str, key: &str) -> bool {
    t.sections
        .iter()
        .any(|s| s.key == section && s.paragraphs.iter().any(|p| p.key == key))
}

/// Checks a leader's edit against the templates: each paragraph named is one of theirs (or
/// the plan), named once, and no text is longer than a report's.
pub fn check_edit(t: &DraftTemplates, edit: &DraftEdit) -> Result<(), RecordError> {
    let mut seen = BTreeSet::new();
    for (i, p) in edit.paragraphs.iter().enumerate() {
        if !has_paragraph(t, &p.section, &p.key) {
            return Err(RecordError::field(
                format!("paragraphs[{i}].key"),
                format!("the draft has no paragraph {}/{}", p.section, p.key),
            ));
        }
        if !seen.insert((&p.section, &p.key)) {
            return Err(RecordError::field(
                format!("paragraphs[{i}].key"),
                format!("{}/{} is edited twice", p.section, p.key),
            ));
        }
        if p.text.chars().count() > MAX_PARAGRAPH {
            return Err(RecordError::field(
                format!("paragraphs[{i}].text"),
                format!("at most {MAX_PARAGRAPH} characters"),
            ));
        }
    }
    if edit.plan.chars().count() > MAX_PLAN {
        return Err(RecordError::field(
            "plan",
            format!("at most {MAX_PLAN} characters"),
        ));
    }
    if edit.version < 0 {
        return Err(RecordError::field("version", "is never negative"));
    }
    Ok(())
}
