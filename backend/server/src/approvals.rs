//! Approvals and filings (审批备案, FIELDWORK §5): the catalogue of types (`data/approvals.json`),
//! an application received (`receive`), its steps (`steps`), its clock read at every answer,
//! the figures (`figures`), and the CSV files (`csv_out`, `csv_import`). The clock and the
//! credit code's check are pure, in citygrid-core (`approval`).

pub mod csv_import;
pub mod csv_out;
pub mod figures;
pub mod receive;
pub mod steps;

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use citygrid_core::api::approvals::{Application, NewApplication, NewStep, PublicStatus, Step};
use citygrid_core::approval::{ApprovalTypes, clock, decided_at, pauses, status};
use citygrid_core::calendar::WorkingCalendar;

use crate::district::District;
use crate::record_error::RecordError;
use crate::store::StoreError;

/// The shipped types.
pub const BUILTIN_APPROVAL_TYPES: &str = include_str!("../../../data/approvals.json");

static TYPES: LazyLock<ApprovalTypes> = LazyLock::new(|| {
    // Checked by citygrid-core's tests; an empty catalogue should it ever not read.
    serde_json::from_str(BUILTIN_APPROVAL_TYPES).unwrap_or(ApprovalTypes {
        about: String::new(),
        types: Vec::new(),
    })
});

/// The catalogue of approval and filing types.
pub fn types() -> &'static ApprovalTypes {
    &TYPES
}

/// How many times a new number is tried when another desk took it meanwhile.
const NUMBER_TRIES: i64 = 5;

/// An application's status and clock as they stand at `now`.
pub fn read_clock(a: &mut Application, calendar: &WorkingCalendar, now: DateTime<Utc>) {
    a.status = status(&a.steps);
    a.clock = clock(
        calendar,
        a.limit,
        a.received_at,
        &pauses(&a.steps),
        decided_at(&a.steps),
        now,
    );
}

/// An application as a reader may see it: the applicant only for those who may see personal
/// data.
pub fn view(
    mut a: Application,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
    personal: bool,
) -> Application {
    read_clock(&mut a, calendar, now);
    if !personal {
        a.applicant = None;
    }
    a
}

/// What the applicant sees by the number: no personal data, no staff.
pub fn public_status(a: &Application) -> PublicStatus {
    let waiting = match a.steps.last() {
        Some(Step::MaterialsRequested { materials, .. }) => materials.clone(),
        _ => Vec::new(),
    };
    PublicStatus {
        number: a.number.clone(),
        type_name_zh: a.type_name_zh.clone(),
        type_name_en: a.type_name_en.clone(),
        status: a.status,
        received_at: a.received_at,
        deadline: a.clock.deadline.filter(|_| !a.status.is_decided()),
        materials_requested: waiting,
        decided_at: decided_at(&a.steps),
        reason: a.steps.iter().rev().find_map(|s| match s {
            Step::Rejected { reason, .. } => Some(reason.clone()),
            _ => None,
        }),
    }
}

/// The number prefix of applications received on a local day: `SP20260930`.
pub fn number_prefix(received: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    format!("SP{}", received.with_timezone(&tz).format("%Y%m%d"))
}

/// Receives an application: checked, numbered by its day (`SP20260930001`), stored.
pub async fn receive(
    district: &District,
    calendar: &WorkingCalendar,
    body: &NewApplication,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Application, RecordError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let atlas = district.atlas();
    let mut a = receive::prepare(types(), &atlas, body, by, now)?;
    a.received_at = chrono::SubsecRound::trunc_subsecs(a.received_at, 3);
    read_clock(&mut a, calendar, now);
    let store = district.store();
    let prefix = number_prefix(a.received_at, atlas.timezone());
    let mut last = None;
    for _ in 0..NUMBER_TRIES {
        let n = store.count_application_numbers(&prefix).await? + 1;
        a.number = format!("{prefix}{n:03}");
        match store
            .insert_applications(std::slice::from_ref(&a), false)
            .await
        {
            Ok(ids) => {
                a.id = ids.first().copied().unwrap_or_default();
                return Ok(a);
            }
            Err(StoreError::Duplicate(what)) => last = Some(what),
            Err(e) => return Err(e.into()),
        }
    }
    Err(RecordError::conflict(
        "number",
        format!(
            "{} was taken meanwhile; try again",
            last.unwrap_or_default()
        ),
    ))
}

/// A stored application, or the 404 naming it.
pub async fn find(district: &District, id: i64) -> Result<Application, RecordError> {
    district
        .store()
        .application(id)
        .await?
        .ok_or_else(|| RecordError::NotFound(format!("no application {id}")))
}

/// Takes the next step of application `id`. An approved shop-sign filing writes the sign onto
/// its shop's record (attributes `sign`, `sign_filing`, `sign_area_m2`).
pub async fn take_step(
    district: &District,
    calendar: &WorkingCalendar,
    id: i64,
    body: &NewStep,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Application, RecordError> {
    let now = chrono::SubsecRound::trunc_subsecs(now, 3);
    let mut a = find(district, id).await?;
    let step = steps::next(&a, body, by, now)?;
    let from = a.version;
    a.steps.push(step.clone());
    a.version += 1;
    read_clock(&mut a, calendar, now);
    match district.store().update_application(&a, from).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) => {
            return Err(RecordError::conflict(
                "version",
                format!("{what} changed meanwhile; read it again"),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if let (Step::Approved { certificate, .. }, Some(sign), Some(code)) =
        (&step, &a.sign, &a.place.shop)
    {
        let (text, area) = (sign.text.clone(), sign.area_m2);
        let certificate = certificate.clone();
        district
            .edit_shops(|shops| {
                if let Some(s) = shops.iter_mut().find(|s| s.code.as_str() == code) {
                    s.attributes.insert("sign".into(), text.into());
                    s.attributes
                        .insert("sign_filing".into(), certificate.into());
                    if let Some(m2) = area {
                        s.attributes.insert("sign_area_m2".into(), m2.into());
                    }
                }
                Ok::<(), RecordError>(())
            })
            .await?;
    }
    Ok(a)
}
