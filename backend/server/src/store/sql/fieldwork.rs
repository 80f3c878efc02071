//! Campaigns, their actions, and applications for approvals, for both stores: each row the
//! record as the API answers it (`body`) beside the columns the lists select by. Campaigns and
//! applications change only from the version read.

use citygrid_core::api::approvals::Application;
use citygrid_core::api::campaigns::{Action, Campaign};
use citygrid_core::api::hotline::WorkOrder;
use serde::de::DeserializeOwned;
use sqlx::Pool;

use super::{Arg, Dialect, Found, Sql};
use crate::store::rows::{Columns, record};
use crate::store::{
    ActionFilter, ApplicationFilter, CampaignFilter, Page, StoreError, WorkOrderFilter,
};

/// A record kept whole in a table, under an id the table gives it.
pub(in crate::store) trait Kept: DeserializeOwned {
    const TABLE: &'static str;
    fn set_id(&mut self, id: i64);
}

impl Kept for Campaign {
    const TABLE: &'static str = "campaigns";
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
}

impl Kept for Action {
    const TABLE: &'static str = "campaign_actions";
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
}

impl Kept for Application {
    const TABLE: &'static str = "applications";
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
}

impl Kept for WorkOrder {
    const TABLE: &'static str = "work_orders";
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
}

pub(super) fn kept<T: Kept, R: Columns>(row: &R) -> Found<T> {
    let r = record(row, T::TABLE, "id")?;
    let mut t: T = r.json("body")?;
    t.set_id(r.fid);
    Ok(t)
}

pub(super) fn select<DB: Dialect, T: Kept>() -> Sql {
    Sql::new(format!(
        "SELECT id, {} FROM {} WHERE TRUE",
        DB::json_text("body", "body"),
        T::TABLE
    ))
}

async fn all<DB: Dialect, T: Kept>(pool: &Pool<DB>, q: Sql) -> Found<Vec<T>> {
    DB::all(pool, q).await?.iter().map(kept).collect()
}

/// One record by id.
pub(in crate::store) async fn kept_one<DB: Dialect, T: Kept>(
    pool: &Pool<DB>,
    id: i64,
) -> Found<Option<T>> {
    let mut q = select::<DB, T>();
    q.push(" AND id = ").bind(id);
    DB::optional(pool, q).await?.as_ref().map(kept).transpose()
}

/// Records after the page's id, oldest first (a deployment moving).
pub(in crate::store) async fn kept_after<DB: Dialect, T: Kept>(
    pool: &Pool<DB>,
    page: Page,
) -> Found<Vec<T>> {
    let mut q = select::<DB, T>();
    q.push(" AND id > ").bind(page.after);
    q.push(" ORDER BY id LIMIT ").bind(page.limit as i64);
    all(pool, q).await
}

/// Inserts rows in one transaction (with their own ids, `keep_ids`, when a deployment moves);
/// their ids. A unique value taken is a `Duplicate` naming `what` of the row.
pub(super) async fn insert_all<DB: Dialect, T>(
    pool: &Pool<DB>,
    table: &str,
    items: &[T],
    keep_ids: bool,
    statement: impl Fn(&T, bool) -> Result<Sql, StoreError>,
    what: impl Fn(&T) -> String,
) -> Found<Vec<i64>> {
    let mut tx = pool.begin().await?;
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let id = match DB::int_on(&mut *tx, statement(item, keep_ids)?).await {
            Ok(id) => id.ok_or_else(|| StoreError::Encode(format!("no id for the new {table}")))?,
            Err(StoreError::Database(sqlx::Error::Database(db))) if db.is_unique_violation() => {
                return Err(StoreError::Duplicate(what(item)));
            }
            Err(other) => return Err(other),
        };
        ids.push(id);
    }
    if keep_ids {
        // PostgreSQL's sequence must continue after the ids kept (SQLite's does by itself).
        DB::execute_on(&mut *tx, Sql::new(DB::sequence_catch_up(table, "id"))).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

pub(super) fn id_columns(keep_id: bool) -> (&'static str, &'static str) {
    if keep_id { ("id, ", "?, ") } else { ("", "") }
}

fn insert_campaign(c: &Campaign, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = id_columns(keep_id);
    let mut q = Sql::new(format!(
        "INSERT INTO campaigns ({columns}kind, starts, ends, version, body, updated_at) \
         VALUES ({marks}?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(c.id);
    }
    Ok(q.arg(&c.kind)
        .arg(c.starts.to_string())
        .arg(c.ends.to_string())
        .arg(c.version)
        .arg(Arg::json(c)?)
        .arg(c.updated_at))
}

pub(in crate::store) async fn insert_campaigns<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[Campaign],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    insert_all(pool, "campaigns", items, keep_ids, insert_campaign, |c| {
        format!("campaign {}", c.id)
    })
    .await
}

/// Writes a campaign over the version it was changed from (`c.version` is the new one).
pub(in crate::store) async fn update_campaign<DB: Dialect>(
    pool: &Pool<DB>,
    c: &Campaign,
    from_version: i64,
) -> Found<()> {
    let q = Sql::new(
        "UPDATE campaigns SET kind = ?, starts = ?, ends = ?, version = ?, body = ?, \
         updated_at = ? WHERE id = ? AND version = ?",
    )
    .arg(&c.kind)
    .arg(c.starts.to_string())
    .arg(c.ends.to_string())
    .arg(c.version)
    .arg(Arg::json(c)?)
    .arg(c.updated_at)
    .arg(c.id)
    .arg(from_version)
    .changing_one(format!("campaign {}", c.id));
    DB::transaction(pool, vec![q]).await
}

pub(in crate::store) async fn campaigns<DB: Dialect>(
    pool: &Pool<DB>,
    f: &CampaignFilter,
) -> Found<Vec<Campaign>> {
    let mut q = select::<DB, Campaign>();
    if let Some(kind) = &f.kind {
        q.push(" AND kind = ").bind(kind);
    }
    if let Some(from) = f.running_from {
        q.push(" AND ends >= ").bind(from.to_string());
    }
    if let Some(to) = f.running_to {
        q.push(" AND starts <= ").bind(to.to_string());
    }
    q.push(" ORDER BY starts DESC, id DESC");
    all(pool, q).await
}

fn insert_action(a: &Action, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = id_columns(keep_id);
    let mut q = Sql::new(format!(
        "INSERT INTO campaign_actions ({columns}campaign, at, day, community, body, recorded_at) \
         VALUES ({marks}?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(a.id);
    }
    Ok(q.arg(a.campaign)
        .arg(a.at)
        .arg(a.day.to_string())
        .arg(&a.community)
        .arg(Arg::json(a)?)
        .arg(a.recorded_at))
}

pub(in crate::store) async fn insert_actions<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[Action],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    insert_all(
        pool,
        "campaign_actions",
        items,
        keep_ids,
        insert_action,
        |a| format!("action {}", a.id),
    )
    .await
}

pub(in crate::store) async fn actions<DB: Dialect>(
    pool: &Pool<DB>,
    f: &ActionFilter,
) -> Found<Vec<Action>> {
    let mut q = select::<DB, Action>();
    if let Some(c) = f.campaign {
        q.push(" AND campaign = ").bind(c);
    }
    if let Some(from) = f.from_day {
        q.push(" AND day >= ").bind(from.to_string());
    }
    if let Some(to) = f.to_day {
        q.push(" AND day <= ").bind(to.to_string());
    }
    if let Some(community) = &f.community {
        q.push(" AND community = ").bind(community);
    }
    q.push(" ORDER BY at, id");
    all(pool, q).await
}

fn insert_application(a: &Application, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = id_columns(keep_id);
    let mut q = Sql::new(format!(
        "INSERT INTO applications ({columns}number, type, status, received_at, decided_at, \
         version, body) VALUES ({marks}?, ?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(a.id);
    }
    Ok(q.arg(&a.number)
        .arg(&a.kind)
        .arg(a.status.as_str())
        .arg(a.received_at)
        .arg(citygrid_core::approval::decided_at(&a.steps))
        .arg(a.version)
        .arg(Arg::json(a)?))
}

pub(in crate::store) async fn insert_applications<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[Application],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    insert_all(
        pool,
        "applications",
        items,
        keep_ids,
        insert_application,
        |a| format!("application {}", a.number),
    )
    .await
}

/// Writes an application over the version it was changed from (`a.version` is the new one).
pub(in crate::store) async fn update_application<DB: Dialect>(
    pool: &Pool<DB>,
    a: &Application,
    from_version: i64,
) -> Found<()> {
    let q = Sql::new(
        "UPDATE applications SET status = ?, decided_at = ?, version = ?, body = ? \
         WHERE id = ? AND version = ?",
    )
    .arg(a.status.as_str())
    .arg(citygrid_core::approval::decided_at(&a.steps))
    .arg(a.version)
    .arg(Arg::json(a)?)
    .arg(a.id)
    .arg(from_version)
    .changing_one(format!("application {}", a.number));
    DB::transaction(pool, vec![q]).await
}

pub(in crate::store) async fn applications<DB: Dialect>(
    pool: &Pool<DB>,
    f: &ApplicationFilter,
) -> Found<Vec<Application>> {
    let mut q = select::<DB, Application>();
    if let Some(kind) = &f.kind {
        q.push(" AND type = ").bind(kind);
    }
    if !f.statuses.is_empty() {
        let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
        q.and_in("status", &statuses);
    }
    if let Some(from) = f.received_from {
        q.push(" AND received_at >= ").bind(from);
    }
    if let Some(to) = f.received_before {
        q.push(" AND received_at < ").bind(to);
    }
    if let Some(from) = f.open_or_decided_from {
        q.push(" AND (decided_at IS NULL OR decided_at >= ")
            .bind(from)
            .push(")");
    }
    if let Some(n) = &f.number {
        q.push(" AND number = ").bind(n);
    }
    q.push(" ORDER BY received_at DESC, id DESC");
    all(pool, q).await
}

/// How many applications have numbers starting with `prefix` (a day's numbers).
pub(in crate::store) async fn count_numbers<DB: Dialect>(
    pool: &Pool<DB>,
    prefix: &str,
) -> Found<i64> {
    let q =
        Sql::new("SELECT COUNT(*) FROM applications WHERE number LIKE ?").arg(format!("{prefix}%"));
    Ok(DB::int(pool, q).await?.unwrap_or(0))
}

fn insert_work_order(o: &WorkOrder, keep_id: bool) -> Result<Sql, StoreError> {
    let (columns, marks) = id_columns(keep_id);
    let mut q = Sql::new(format!(
        "INSERT INTO work_orders ({columns}number, type, status, received_at, version, body) \
         VALUES ({marks}?, ?, ?, ?, ?, ?) RETURNING id"
    ));
    if keep_id {
        q = q.arg(o.id);
    }
    Ok(q.arg(&o.number)
        .arg(&o.kind)
        .arg(o.state.status.as_str())
        .arg(o.received_at)
        .arg(o.version)
        .arg(Arg::json(o)?))
}

pub(in crate::store) async fn insert_work_orders<DB: Dialect>(
    pool: &Pool<DB>,
    items: &[WorkOrder],
    keep_ids: bool,
) -> Found<Vec<i64>> {
    insert_all(
        pool,
        "work_orders",
        items,
        keep_ids,
        insert_work_order,
        |o| format!("work order {}", o.number),
    )
    .await
}

fn update_work_order_sql(o: &WorkOrder, from_version: i64) -> Result<Sql, StoreError> {
    Ok(Sql::new(
        "UPDATE work_orders SET type = ?, status = ?, received_at = ?, version = ?, body = ? \
         WHERE id = ? AND version = ?",
    )
    .arg(&o.kind)
    .arg(o.state.status.as_str())
    .arg(o.received_at)
    .arg(o.version)
    .arg(Arg::json(o)?)
    .arg(o.id)
    .arg(from_version))
}

/// Writes a work order over the version it was changed from (`o.version` is the new one).
pub(in crate::store) async fn update_work_order<DB: Dialect>(
    pool: &Pool<DB>,
    o: &WorkOrder,
    from_version: i64,
) -> Found<()> {
    let q =
        update_work_order_sql(o, from_version)?.changing_one(format!("work order {}", o.number));
    DB::transaction(pool, vec![q]).await
}

/// Writes changed orders over their versions and inserts new ones, in one transaction; the
/// new ones' ids.
pub(in crate::store) async fn save_work_orders<DB: Dialect>(
    pool: &Pool<DB>,
    new: &[WorkOrder],
    changed: &[(WorkOrder, i64)],
) -> Found<Vec<i64>> {
    let mut tx = pool.begin().await?;
    for (o, from) in changed {
        if DB::execute_on(&mut *tx, update_work_order_sql(o, *from)?).await? != 1 {
            return Err(StoreError::Conflict(format!("work order {}", o.number)));
        }
    }
    let mut ids = Vec::with_capacity(new.len());
    for o in new {
        match DB::int_on(&mut *tx, insert_work_order(o, false)?).await {
            Ok(Some(id)) => ids.push(id),
            Ok(None) => return Err(StoreError::Encode("no id for the new work order".into())),
            Err(StoreError::Database(sqlx::Error::Database(db))) if db.is_unique_violation() => {
                return Err(StoreError::Duplicate(format!("work order {}", o.number)));
            }
            Err(other) => return Err(other),
        }
    }
    tx.commit().await?;
    Ok(ids)
}

pub(in crate::store) async fn work_orders<DB: Dialect>(
    pool: &Pool<DB>,
    f: &WorkOrderFilter,
) -> Found<Vec<WorkOrder>> {
    let mut q = select::<DB, WorkOrder>();
    if let Some(kind) = &f.kind {
        q.push(" AND type = ").bind(kind);
    }
    if !f.statuses.is_empty() {
        let statuses: Vec<String> = f.statuses.iter().map(|s| s.as_str().to_owned()).collect();
        q.and_in("status", &statuses);
    }
    if let Some(from) = f.received_from {
        q.push(" AND received_at >= ").bind(from);
    }
    if let Some(to) = f.received_before {
        q.push(" AND received_at < ").bind(to);
    }
    if let Some(n) = &f.number {
        q.push(" AND number = ").bind(n);
    }
    q.push(" ORDER BY received_at DESC, id DESC");
    all(pool, q).await
}
