//! `citygrid migrate-store FROM TO`: copies a whole deployment from one store to another (the
//! embedded file to PostgreSQL, typically) — base layers, settings, cases with their histories,
//! photos, users with their password hashes, the audit log, officers' current duty status and
//! shifts, assessments and the periods' ledger, campaigns with their actions, applications and
//! work orders (under their own ids) — then reads both sides again and compares counts and SHA-256 checksums.
//!
//! The target must be empty: nothing is merged. Sessions are not copied (everyone logs in
//! again), nor are GPS fixes (personal data kept for days only). Case ids stay the same; user
//! ids and audit sequence numbers are the target's own (nothing refers to them).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::{AuditEntry, NewUser, Page, Photo, SettingChange, Store, StoreError};

/// Why a migration stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the target already holds {0}; migrate into an empty database")]
    NotEmpty(&'static str),
    #[error("after copying, {what} differ: {from} in the source, {to} in the target")]
    Differs {
        what: &'static str,
        from: String,
        to: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What was copied, with the checksums both sides agreed on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub features: usize,
    pub cases: usize,
    pub events: usize,
    pub photos: usize,
    pub users: usize,
    pub audit_entries: usize,
    pub login_throttles: usize,
    pub statuses: usize,
    pub shifts: usize,
    pub assessments: usize,
    pub period_entries: usize,
    pub campaigns: usize,
    pub actions: usize,
    pub applications: usize,
    pub work_orders: usize,
    pub report_texts: usize,
    /// What and its SHA-256, the same in the source and the target.
    pub checksums: Vec<(&'static str, String)>,
}

const PAGE: usize = 2000;

/// The settings a deployment carries: the case catalogue, the checklist templates (with the
/// contract rules), the campaign kinds, the hotline rules and the report draft's templates an
/// admin saved.
const COPIED_SETTINGS: [&str; 5] = [
    "categories",
    "checklists",
    "campaign_kinds",
    crate::hotline::book::KEY,
    crate::statistics::draft::KEY,
];

/// A running SHA-256 over JSON values, with a count.
#[derive(Default)]
struct Sum {
    hash: Sha256,
    count: usize,
}

impl Sum {
    fn add(&mut self, v: &impl Serialize) -> Result<(), StoreError> {
        let text = serde_json::to_vec(v).map_err(|e| StoreError::Encode(e.to_string()))?;
        self.hash.update((text.len() as u64).to_le_bytes());
        self.hash.update(&text);
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> (usize, String) {
        (self.count, format!("{:x}", self.hash.finalize()))
    }
}

fn far_past() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

fn far_future() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(253_402_300_799, 0).unwrap_or_else(Utc::now)
}

/// Every part of a store, summed: (what, count, checksum).
/// The count and checksum of every record a paged read gives, page after page by id.
async fn paged<T, F, Fut>(
    mut read: F,
    id: impl Fn(&T) -> i64,
) -> Result<(usize, String), StoreError>
where
    T: Serialize,
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, StoreError>>,
{
    let mut sum = Sum::default();
    let mut after = 0;
    loop {
        let page = read(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = id(last);
        for item in &page {
            sum.add(item)?;
        }
    }
    Ok(sum.finish())
}

async fn sums(store: &dyn Store) -> Result<Vec<(&'static str, usize, String)>, StoreError> {
    let mut out = Vec::new();
    let base = store.load_base().await?;
    let mut layers = Sum::default();
    layers.add(&base)?;
    let features = base.grids.len()
        + base.communities.len()
        + base.streets.len()
        + base.shops.len()
        + base.zones.len()
        + base.components.len()
        + base.addresses.len()
        + base.officers.len()
        + base.sections.len();
    out.push(("layers", features, layers.finish().1));

    let (mut cases, mut events) = (Sum::default(), Sum::default());
    let mut after = 0;
    loop {
        let page = store.export_cases(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.0.id.0;
        for (case, history) in &page {
            cases.add(case)?;
            for e in history {
                // Sequence numbers are the store's own; the order is what is kept.
                let mut e = e.clone();
                e.seq = 0;
                events.add(&(case.id.0, e))?;
            }
        }
    }
    let (n, sum) = cases.finish();
    out.push(("cases", n, sum));
    let (n, sum) = events.finish();
    out.push(("case events", n, sum));

    let mut photos = Sum::default();
    let mut after = String::new();
    loop {
        let page = store.photo_hashes(&after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after.clone_from(last);
        for hash in &page {
            if let Some((kind, bytes)) = store.get_photo(hash).await? {
                photos.add(&(hash, kind, format!("{:x}", Sha256::digest(&bytes))))?;
            }
        }
    }
    let (n, sum) = photos.finish();
    out.push(("photos", n, sum));

    let mut users = Sum::default();
    let mut listed = store.list_users().await?;
    listed.sort_by(|a, b| a.username.cmp(&b.username));
    for u in listed {
        let hash = store
            .credentials(&u.username)
            .await?
            .map(|c| c.password_hash)
            .unwrap_or_default();
        users.add(&(
            &u.username,
            &u.display_name,
            u.role.as_str(),
            &u.scope,
            &u.officer,
            u.disabled,
            u.must_change_password,
            hash,
        ))?;
    }
    let (n, sum) = users.finish();
    out.push(("users", n, sum));

    let mut throttles = Sum::default();
    let mut listed = store.list_login_throttles().await?;
    listed.sort_by(|a, b| (&a.username, &a.address).cmp(&(&b.username, &b.address)));
    for t in &listed {
        throttles.add(t)?;
    }
    let (n, sum) = throttles.finish();
    out.push(("login throttles", n, sum));

    let mut audit = Sum::default();
    let mut after = 0;
    loop {
        let page = store.audit_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in page {
            audit.add(&AuditEntry { seq: 0, ..e })?;
        }
    }
    let (n, sum) = audit.finish();
    out.push(("audit entries", n, sum));

    let mut statuses = Sum::default();
    let mut latest = store.latest_statuses().await?;
    latest.sort_by(|a, b| a.officer.cmp(&b.officer));
    for s in &latest {
        statuses.add(s)?;
    }
    let (n, sum) = statuses.finish();
    out.push(("duty statuses", n, sum));

    let mut shifts = Sum::default();
    for s in store.shifts(None, far_past()..far_future()).await? {
        shifts.add(&s)?;
    }
    let (n, sum) = shifts.finish();
    out.push(("shifts", n, sum));

    let mut assessments = Sum::default();
    let mut after = 0;
    loop {
        let page = store.assessments_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in &page {
            assessments.add(a)?;
        }
    }
    let (n, sum) = assessments.finish();
    out.push(("assessments", n, sum));

    let mut ledger = Sum::default();
    let mut after = 0;
    loop {
        let page = store
            .period_entries_after(Page { after, limit: PAGE })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for e in &page {
            ledger.add(e)?;
        }
    }
    let (n, sum) = ledger.finish();
    out.push(("period ledger", n, sum));

    let campaigns = paged(|p| store.campaigns_after(p), |c| c.id).await?;
    out.push(("campaigns", campaigns.0, campaigns.1));
    let actions = paged(|p| store.actions_after(p), |a| a.id).await?;
    out.push(("campaign actions", actions.0, actions.1));
    let applications = paged(|p| store.applications_after(p), |a| a.id).await?;
    out.push(("applications", applications.0, applications.1));
    let orders = paged(|p| store.work_orders_after(p), |o| o.id).await?;
    out.push(("work orders", orders.0, orders.1));
    let texts = paged(|p| store.report_texts_after(p), |t| t.id).await?;
    out.push(("report texts", texts.0, texts.1));

    let mut settings = Sum::default();
    for key in COPIED_SETTINGS {
        settings.add(&store.setting(key).await?)?;
    }
    out.push(("settings", COPIED_SETTINGS.len(), settings.finish().1));
    Ok(out)
}

/// Copies everything from `from` into the empty `to`, then checks both sides agree.
pub async fn migrate(from: &dyn Store, to: &dyn Store) -> Result<Report, MigrateError> {
    if !to
        .export_cases(Page { after: 0, limit: 1 })
        .await?
        .is_empty()
    {
        return Err(MigrateError::NotEmpty("cases"));
    }
    if to.count_users().await? > 0 {
        return Err(MigrateError::NotEmpty("users"));
    }
    if !to.load_base().await?.grids.is_empty() {
        return Err(MigrateError::NotEmpty("grid cells"));
    }
    to.replace_layers(from.load_base().await?.into_rows())
        .await?;
    for key in COPIED_SETTINGS {
        if let Some(value) = from.setting(key).await? {
            to.set_setting(&SettingChange::new(
                key,
                &value,
                "migrate-store",
                Utc::now(),
            ))
            .await?;
        }
    }
    let mut after = String::new();
    loop {
        let page = from.photo_hashes(&after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after.clone_from(last);
        for hash in &page {
            if let Some((kind, bytes)) = from.get_photo(hash).await? {
                to.put_photo(&Photo {
                    hash,
                    content_type: &kind,
                    bytes: &bytes,
                })
                .await?;
            }
        }
    }
    let mut after = 0;
    loop {
        let page = from.export_cases(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.0.id.0;
        to.import_cases(&page).await?;
    }
    for user in from.list_users().await? {
        let Some(credentials) = from.credentials(&user.username).await? else {
            continue;
        };
        let id = to
            .insert_user(
                &NewUser {
                    username: user.username.clone(),
                    display_name: user.display_name.clone(),
                    role: user.role,
                    password_hash: credentials.password_hash,
                    scope: user.scope.clone(),
                    officer: user.officer.clone(),
                    must_change_password: user.must_change_password,
                },
                Utc::now(),
            )
            .await?;
        if user.disabled {
            to.update_user(&citygrid_core::account::User { id, ..user }, None)
                .await?;
        }
    }
    for throttle in from.list_login_throttles().await? {
        to.put_login_throttle(&throttle).await?;
    }
    let mut after = 0;
    loop {
        let page = from.audit_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            to.append_audit(e).await?;
        }
    }
    for status in from.latest_statuses().await? {
        to.append_status(&status).await?;
    }
    for shift in from.shifts(None, far_past()..far_future()).await? {
        to.insert_shift(&shift, "migrate-store").await?;
    }
    let mut after = 0;
    loop {
        let page = from.assessments_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_assessments(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from
            .period_entries_after(Page { after, limit: PAGE })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.append_period_entries(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from.campaigns_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_campaigns(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from.actions_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_actions(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from.applications_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_applications(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from.work_orders_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_work_orders(&page, true).await?;
    }
    let mut after = 0;
    loop {
        let page = from.report_texts_after(Page { after, limit: PAGE }).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        to.insert_report_texts(&page).await?;
    }
    // Both sides read again: every count and checksum must agree.
    let (source, target) = (sums(from).await?, sums(to).await?);
    let mut report = Report {
        features: 0,
        cases: 0,
        events: 0,
        photos: 0,
        users: 0,
        audit_entries: 0,
        login_throttles: 0,
        statuses: 0,
        shifts: 0,
        assessments: 0,
        period_entries: 0,
        campaigns: 0,
        actions: 0,
        applications: 0,
        work_orders: 0,
        report_texts: 0,
        checksums: Vec::new(),
    };
    for ((what, n, sum), (_, m, other)) in source.into_iter().zip(target) {
        if n != m || sum != other {
            return Err(MigrateError::Differs {
                what,
                from: format!("{n} ({sum})"),
                to: format!("{m} ({other})"),
            });
        }
        match what {
            "layers" => report.features = n,
            "cases" => report.cases = n,
            "case events" => report.events = n,
            "photos" => report.photos = n,
            "users" => report.users = n,
            "audit entries" => report.audit_entries = n,
            "login throttles" => report.login_throttles = n,
            "duty statuses" => report.statuses = n,
            "shifts" => report.shifts = n,
            "assessments" => report.assessments = n,
            "period ledger" => report.period_entries = n,
            "campaigns" => report.campaigns = n,
            "campaign actions" => report.actions = n,
            "applications" => report.applications = n,
            "work orders" => report.work_orders = n,
            "report texts" => report.report_texts = n,
            _ => {}
        }
        report.checksums.push((what, sum));
    }
    Ok(report)
}
