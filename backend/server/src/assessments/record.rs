//! Recording an assessment: the template and version it is scored by, the subject it assesses
//! (a section for the sanitation kinds, a shop for the door-front kind), each finding's place
//! resolved by the atlas to grid cell and community, the photos it names, its score, and the
//! rectification notices it raises as cases in the closed loop. Everything is checked before
//! anything is stored; a bad field is named as the body names it.

use chrono::{DateTime, Utc};
use citygrid_core::LonLat;
use citygrid_core::api::assessments::{Assessment, NewAssessment, Subject};
use citygrid_core::case::Source;
use citygrid_core::checklist::{Checklist, Finding};
use citygrid_core::features::{BaseLayers, Section, SectionExtent, ShopFront};
use geo::InteriorPoint;

use crate::atlas::{Atlas, LocateOptions};
use crate::cases::{Actor, CaseError, CaseService, NewCase};
use crate::store::StoreError;

use super::ChecklistBook;

/// The case category of a cleaning contractor's rectification notice.
pub const SECTION_NOTICE_CATEGORY: &str = "9003";
/// The case category of a shop's door-front rectification notice.
pub const SHOP_NOTICE_CATEGORY: &str = "9004";

/// How far in the future an assessment's time may lie (clocks differ).
const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);

/// Why an assessment was not recorded. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    #[error("{field}: {problem}")]
    Field { field: String, problem: String },
    /// The assessment falls in a month already signed off for its section.
    #[error("{0}")]
    Frozen(String),
    #[error("raising a notice: {0}")]
    Notice(CaseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AssessmentError {
    pub fn field(field: impl Into<String>, problem: impl Into<String>) -> Self {
        AssessmentError::Field {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// The subject's name, contractor and area, and a point for its notices.
struct SubjectFacts {
    name: String,
    contractor: Option<String>,
    area: Option<citygrid_core::features::SectionArea>,
    point: Option<LonLat>,
}

/// A point inside a section (its area, or on its lines): where its notices are raised.
pub(crate) fn section_point(s: &Section) -> Option<LonLat> {
    let p = match &s.extent {
        SectionExtent::Area(a) => a.interior_point(),
        SectionExtent::Streets(l) => l.interior_point(),
    }?;
    LonLat::new(p.x(), p.y()).ok()
}

fn subject_facts(base: &BaseLayers, subject: &Subject) -> Result<SubjectFacts, AssessmentError> {
    match subject {
        Subject::Section(code) => {
            let s = base
                .sections
                .iter()
                .find(|s| &s.code == code)
                .ok_or_else(|| {
                    AssessmentError::field("subject.code", format!("there is no section {code}"))
                })?;
            Ok(SubjectFacts {
                name: s.name.clone(),
                contractor: Some(s.contractor.clone()),
                area: Some(s.area),
                point: section_point(s),
            })
        }
        Subject::Shop(code) => {
            let s = base.shops.iter().find(|s| &s.code == code).ok_or_else(|| {
                AssessmentError::field("subject.code", format!("there is no shop {code}"))
            })?;
            let point = match &s.front {
                ShopFront::Door(p) => Some(*p),
                ShopFront::Area(a) => a.interior_point(),
            };
            Ok(SubjectFacts {
                name: s.name.clone(),
                contractor: None,
                area: None,
                point: point.and_then(|p| LonLat::new(p.x(), p.y()).ok()),
            })
        }
    }
}

/// The template of the body: the version asked for, or the newest.
fn template(book: &ChecklistBook, body: &NewAssessment) -> Result<Checklist, AssessmentError> {
    let all = book.current();
    let found = match body.version {
        Some(v) => all.get(&body.checklist, v),
        None => all.latest(&body.checklist),
    };
    match (found, body.version) {
        (Some(c), _) => Ok(c.clone()),
        (None, Some(v)) if all.latest(&body.checklist).is_some() => Err(AssessmentError::field(
            "version",
            format!("checklist {} has no version {v}", body.checklist),
        )),
        _ => Err(AssessmentError::field(
            "checklist",
            format!(
                "there is no checklist {:?} (GET /checklists)",
                body.checklist
            ),
        )),
    }
}

/// A point within the district's reach: finite and a real longitude/latitude.
fn check_point(field: String, p: LonLat) -> Result<(), AssessmentError> {
    if p.lon.is_finite() && p.lat.is_finite() && p.lon.abs() <= 180.0 && p.lat.abs() <= 90.0 {
        Ok(())
    } else {
        Err(AssessmentError::field(
            field,
            "must be a longitude and latitude in degrees",
        ))
    }
}

/// Each finding's grid cell and community, from its point.
fn place_findings(atlas: &Atlas, findings: &mut [Finding], at: DateTime<Utc>) {
    let options = LocateOptions {
        at,
        ..LocateOptions::default()
    };
    for f in findings {
        let Some(p) = f.point else { continue };
        let loc = atlas.locate(p, &options);
        f.grid = loc.grid.map(|g| g.code);
        f.community = loc.community.map(|c| c.code);
    }
}

/// Checks, scores and places an assessment; the notices it asks for are checked too. What
/// is returned is ready to store (id 0).
pub async fn prepare(
    book: &ChecklistBook,
    atlas: &Atlas,
    store: &dyn crate::store::Store,
    body: &NewAssessment,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Assessment, AssessmentError> {
    let checklist = template(book, body)?;
    let wants_shop = checklist.kind.of_shops();
    if wants_shop != matches!(body.subject, Subject::Shop(_)) {
        return Err(AssessmentError::field(
            "subject.type",
            format!(
                "checklist {} assesses {}",
                checklist.code,
                if wants_shop { "shops" } else { "sections" }
            ),
        ));
    }
    let facts = subject_facts(atlas.base(), &body.subject)?;
    let at = body.at.unwrap_or(now);
    if at > now + CLOCK_SLACK {
        return Err(AssessmentError::field("at", "lies in the future"));
    }
    let score = checklist
        .score(&body.findings, &body.samples)
        .map_err(|e| AssessmentError::field(e.field(), e.to_string()))?;
    if let Some(p) = body.position {
        check_point("position".to_owned(), p)?;
    }
    for (i, f) in body.findings.iter().enumerate() {
        if let Some(p) = f.point {
            check_point(format!("findings[{i}].point"), p)?;
        }
        for (j, hash) in f.photos.iter().enumerate() {
            if !store.has_photo(hash).await? {
                return Err(AssessmentError::field(
                    format!("findings[{i}].photos[{j}]"),
                    format!("no photo {hash}: upload it first with POST /photos"),
                ));
            }
        }
    }
    for (i, s) in body.samples.iter().enumerate() {
        if let Some(p) = s.point {
            check_point(format!("samples[{i}].point"), p)?;
        }
    }
    for (i, n) in body.notices.iter().enumerate() {
        if !score.failed_items.contains(&n.item) {
            return Err(AssessmentError::field(
                format!("notices[{i}].item"),
                format!("{} did not fail in this assessment", n.item),
            ));
        }
    }
    let assessors: Vec<String> = body
        .assessors
        .iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    if let Some(c) = body.campaign
        && store.campaign(c).await?.is_none()
    {
        return Err(AssessmentError::field(
            "campaign",
            format!("there is no campaign {c}"),
        ));
    }
    let mut findings = body.findings.clone();
    place_findings(atlas, &mut findings, at);
    Ok(Assessment {
        id: 0,
        kind: checklist.kind,
        checklist: checklist.code.clone(),
        version: checklist.version,
        subject: body.subject.clone(),
        subject_name: facts.name,
        contractor: facts.contractor,
        area: facts.area,
        assessors: if assessors.is_empty() {
            vec![by.to_owned()]
        } else {
            assessors
        },
        at,
        month: at
            .with_timezone(&atlas.timezone())
            .format("%Y-%m")
            .to_string(),
        position: body.position,
        findings,
        samples: body.samples.clone(),
        note: body
            .note
            .as_ref()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        score,
        notices: Vec::new(),
        campaign: body.campaign,
        recorded_by: by.to_owned(),
        recorded_at: now,
    })
}

/// Raises the notices the body asks for, as cases; their numbers.
pub async fn raise_notices(
    cases: &CaseService,
    book: &ChecklistBook,
    atlas: &Atlas,
    a: &Assessment,
    body: &NewAssessment,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AssessmentError> {
    let facts = subject_facts(atlas.base(), &a.subject)?;
    let templates = book.current();
    let checklist = templates.get(&a.checklist, a.version);
    let category = match a.subject {
        Subject::Section(_) => SECTION_NOTICE_CATEGORY,
        Subject::Shop(_) => SHOP_NOTICE_CATEGORY,
    };
    let mut raised = Vec::new();
    for n in &body.notices {
        let finding = a.findings.iter().find(|f| f.item == n.item);
        let point = finding.and_then(|f| f.point).or(a.position).or(facts.point);
        let party = a.contractor.as_deref().unwrap_or(&a.subject_name);
        let item_text = checklist
            .and_then(|c| c.item(&n.item))
            .map_or_else(|| n.item.clone(), |i| i.text_zh.clone());
        let what = n
            .note
            .clone()
            .or_else(|| finding.and_then(|f| f.note.clone()))
            .unwrap_or(item_text);
        let new = NewCase {
            category: category.to_owned(),
            source: Source::Inspection,
            description: format!(
                "整改通知书：{}（{party}）{}：{what}",
                a.subject_name, n.item
            ),
            quantity: None,
            point,
            address: None,
            accept_best: false,
            reporter: None,
            photos: finding.map(|f| f.photos.clone()).unwrap_or_default(),
        };
        let created = cases
            .create(new, actor, now)
            .await
            .map_err(AssessmentError::Notice)?;
        raised.push(created.case.case.id.0);
    }
    Ok(raised)
}
