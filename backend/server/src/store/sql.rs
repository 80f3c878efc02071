//! The SQL both stores run, written once. A statement is built as [`Sql`]: text with a `?`
//! where each value goes, and the values in order, as [`Arg`]s. Each database's [`Dialect`]
//! turns it into its own query, binding each value as that database stores it — times as
//! sortable UTC text in the embedded file and `timestamptz` in PostgreSQL, flags as 0/1 or
//! booleans, JSON as text or `jsonb` — and writing its own placeholders (`?`, `$1`). What the
//! two databases write differently on purpose (bulk loads, geometry, the planner's hints)
//! stays in `sqlite/` and `postgres/`.

mod accounts;
mod assessments;
mod audit;
mod cases;
mod dispatch;
mod district;
mod fieldwork;
mod report_texts;

pub(super) use accounts::*;
pub(super) use assessments::*;
pub(super) use audit::*;
pub(super) use cases::*;
pub(super) use dispatch::*;
pub(super) use district::*;
pub(super) use fieldwork::*;
pub(super) use report_texts::*;

use chrono::{DateTime, Utc};
use citygrid_core::features::LayerRows;
use sqlx::{Pool, Postgres, QueryBuilder, Sqlite};

use super::StoreError;
use super::rows::Columns;

/// A value for a statement.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
    Time(Option<DateTime<Utc>>),
    Flag(bool),
    /// JSON text, stored as such or as `jsonb`.
    Json(Option<String>),
    Bytes(Vec<u8>),
}

impl Arg {
    /// A value as JSON.
    pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<Self, StoreError> {
        serde_json::to_string(value)
            .map(|t| Arg::Json(Some(t)))
            .map_err(|e| StoreError::Encode(e.to_string()))
    }
}

macro_rules! arg_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {
        $(impl From<$t> for Arg {
            fn from($v: $t) -> Self {
                $e
            }
        })*
    };
}

arg_from! {
    &str => |v| Arg::Text(Some(v.to_owned())),
    String => |v| Arg::Text(Some(v)),
    &String => |v| Arg::Text(Some(v.clone())),
    Option<&str> => |v| Arg::Text(v.map(str::to_owned)),
    Option<String> => |v| Arg::Text(v),
    &Option<String> => |v| Arg::Text(v.clone()),
    i64 => |v| Arg::Int(Some(v)),
    &i64 => |v| Arg::Int(Some(*v)),
    Option<i64> => |v| Arg::Int(v),
    f64 => |v| Arg::Real(Some(v)),
    Option<f64> => |v| Arg::Real(v),
    DateTime<Utc> => |v| Arg::Time(Some(v)),
    Option<DateTime<Utc>> => |v| Arg::Time(v),
    bool => |v| Arg::Flag(v),
}

/// A statement in neither database's words yet.
#[derive(Debug, Clone, Default)]
pub(super) struct Sql {
    text: String,
    args: Vec<Arg>,
    /// In a [`Dialect::transaction`]: this statement must change exactly one row, or the
    /// transaction is undone as a conflict over what is named here.
    changing_one: Option<String>,
}

impl Sql {
    /// A statement whose text holds a `?` for each value given afterwards with [`Sql::arg`].
    pub(super) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
            changing_one: None,
        }
    }

    /// Marks a statement that must change exactly one row (`what`, e.g. `case 12`).
    #[must_use]
    pub(super) fn changing_one(mut self, what: String) -> Self {
        self.changing_one = Some(what);
        self
    }

    /// The value for the next `?` already in the text.
    #[must_use]
    pub(super) fn arg(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends another statement (a subquery), its values after this one's.
    pub(super) fn append(&mut self, other: Sql) -> &mut Self {
        self.text.push_str(&other.text);
        self.args.extend(other.args);
        self
    }

    /// Appends text.
    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a `?` and its value.
    pub(super) fn bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.text.push('?');
        self.args.push(value.into());
        self
    }

    /// `(?, ?, …)` with the values.
    pub(super) fn list<T>(&mut self, values: &[T]) -> &mut Self
    where
        for<'v> &'v T: Into<Arg>,
    {
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v);
        }
        self.push(")")
    }

    /// ` AND column IN (?, …)`; nothing for no values (no filter).
    pub(super) fn and_in(&mut self, column: &str, values: &[String]) -> &mut Self {
        if values.is_empty() {
            return self;
        }
        self.push(" AND ").push(column).push(" IN ").list(values)
    }

    /// The statement in `DB`'s words.
    pub(super) fn build<DB: Dialect>(self) -> QueryBuilder<'static, DB> {
        let mut pieces = self.text.split('?');
        let mut q = QueryBuilder::new(pieces.next().unwrap_or_default());
        let mut args = self.args.into_iter();
        for piece in pieces {
            // Every `?` has its value: a statement written here without one is a bug that
            // the store suite finds at once (the database refuses the unbound parameter).
            if let Some(arg) = args.next() {
                DB::bind(&mut q, arg);
            }
            q.push(piece);
        }
        debug_assert!(
            args.next().is_none(),
            "more values than `?` in {q:?}",
            q = q.sql()
        );
        q
    }
}

/// What a database does with a [`Sql`]: how it takes the values, reads JSON back as text,
/// and runs the statement on a pool. The running is written once, for both, by [`runs!`].
pub(super) trait Dialect: sqlx::Database<Row: Columns> {
    fn bind(q: &mut QueryBuilder<'static, Self>, arg: Arg);

    /// `expression` read as text under `name` (JSON columns are text in SQLite, jsonb in
    /// PostgreSQL).
    fn json_text(expression: &str, name: &str) -> String;

    /// A statement that sets `table`'s id sequence past the ids stored under their own numbers
    /// (nothing to do where the database does so by itself).
    fn sequence_catch_up(table: &str, column: &str) -> String;

    /// Every row.
    fn all(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<Vec<Self::Row>>> + Send;

    /// The first row, if any.
    fn optional(
        pool: &Pool<Self>,
        sql: Sql,
    ) -> impl Future<Output = Found<Option<Self::Row>>> + Send;

    /// The number of rows changed.
    fn execute(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<u64>> + Send;

    /// Statements in order, in one transaction: all or none. A statement marked with
    /// [`Sql::changing_one`] that does not change exactly one row undoes them all.
    fn transaction(pool: &Pool<Self>, steps: Vec<Sql>) -> impl Future<Output = Found<()>> + Send;

    /// The first column of the first row, as a whole number (none for no row or NULL).
    fn int(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<Option<i64>>> + Send;

    /// Inserts a layer's rows, on a connection (in a transaction).
    fn insert_layer(
        conn: &mut Self::Connection,
        rows: &LayerRows,
    ) -> impl Future<Output = Found<()>> + Send;

    /// [`Dialect::execute`] on a connection (inside a caller's transaction).
    fn execute_on(conn: &mut Self::Connection, sql: Sql)
    -> impl Future<Output = Found<u64>> + Send;

    /// [`Dialect::int`] on a connection (inside a caller's transaction).
    fn int_on(
        conn: &mut Self::Connection,
        sql: Sql,
    ) -> impl Future<Output = Found<Option<i64>>> + Send;

    /// The first column of every row, as whole numbers.
    fn ints(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<Vec<i64>>> + Send;

    /// The first column of the first row, as text (none for no row or NULL).
    fn text(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<Option<String>>> + Send;

    /// The first column of every row, as text.
    fn texts(pool: &Pool<Self>, sql: Sql) -> impl Future<Output = Found<Vec<String>>> + Send;
}

/// What a store call gives, or why not.
pub(super) type Found<T> = Result<T, StoreError>;

/// The running half of [`Dialect`], the same text for both databases.
macro_rules! runs {
    () => {
        async fn all(pool: &Pool<Self>, sql: Sql) -> Found<Vec<Self::Row>> {
            let mut q = sql.build::<Self>();
            Ok(q.build().fetch_all(pool).await?)
        }

        async fn optional(pool: &Pool<Self>, sql: Sql) -> Found<Option<Self::Row>> {
            let mut q = sql.build::<Self>();
            Ok(q.build().fetch_optional(pool).await?)
        }

        async fn execute(pool: &Pool<Self>, sql: Sql) -> Found<u64> {
            let mut q = sql.build::<Self>();
            Ok(q.build().execute(pool).await?.rows_affected())
        }

        async fn transaction(pool: &Pool<Self>, steps: Vec<Sql>) -> Found<()> {
            let mut tx = pool.begin().await?;
            for step in steps {
                let one = step.changing_one.clone();
                let mut q = step.build::<Self>();
                let changed = q.build().execute(&mut *tx).await?.rows_affected();
                if let Some(what) = one.filter(|_| changed != 1) {
                    tx.rollback().await?;
                    return Err(StoreError::Conflict(what));
                }
            }
            tx.commit().await?;
            Ok(())
        }

        async fn int(pool: &Pool<Self>, sql: Sql) -> Found<Option<i64>> {
            let mut q = sql.build::<Self>();
            let row: Option<Option<i64>> = q.build_query_scalar().fetch_optional(pool).await?;
            Ok(row.flatten())
        }

        async fn execute_on(conn: &mut Self::Connection, sql: Sql) -> Found<u64> {
            let mut q = sql.build::<Self>();
            Ok(q.build().execute(&mut *conn).await?.rows_affected())
        }

        async fn int_on(conn: &mut Self::Connection, sql: Sql) -> Found<Option<i64>> {
            let mut q = sql.build::<Self>();
            let row: Option<Option<i64>> =
                q.build_query_scalar().fetch_optional(&mut *conn).await?;
            Ok(row.flatten())
        }

        async fn ints(pool: &Pool<Self>, sql: Sql) -> Found<Vec<i64>> {
            let mut q = sql.build::<Self>();
            Ok(q.build_query_scalar().fetch_all(pool).await?)
        }

        async fn text(pool: &Pool<Self>, sql: Sql) -> Found<Option<String>> {
            let mut q = sql.build::<Self>();
            let row: Option<Option<String>> = q.build_query_scalar().fetch_optional(pool).await?;
            Ok(row.flatten())
        }

        async fn texts(pool: &Pool<Self>, sql: Sql) -> Found<Vec<String>> {
            let mut q = sql.build::<Self>();
            Ok(q.build_query_scalar().fetch_all(pool).await?)
        }
    };
}

impl Dialect for Sqlite {
    fn bind(q: &mut QueryBuilder<'static, Self>, arg: Arg) {
        match arg {
            Arg::Text(v) | Arg::Json(v) => q.push_bind(v),
            Arg::Int(v) => q.push_bind(v),
            Arg::Real(v) => q.push_bind(v),
            Arg::Time(v) => q.push_bind(v.map(super::sqlite::ts)),
            Arg::Flag(v) => q.push_bind(i64::from(v)),
            Arg::Bytes(v) => q.push_bind(v),
        };
    }

    fn json_text(expression: &str, name: &str) -> String {
        format!("{expression} AS {name}")
    }

    fn sequence_catch_up(_table: &str, _column: &str) -> String {
        "SELECT 1".to_owned()
    }

    async fn insert_layer(conn: &mut Self::Connection, rows: &LayerRows) -> Found<()> {
        super::sqlite::insert_layer(conn, rows).await
    }

    runs!();
}

impl Dialect for Postgres {
    fn bind(q: &mut QueryBuilder<'static, Self>, arg: Arg) {
        match arg {
            Arg::Text(v) => q.push_bind(v),
            Arg::Json(v) => q.push("CAST(").push_bind(v).push(" AS jsonb)"),
            Arg::Int(v) => q.push_bind(v),
            Arg::Real(v) => q.push_bind(v),
            Arg::Time(v) => q.push_bind(v),
            Arg::Flag(v) => q.push_bind(v),
            Arg::Bytes(v) => q.push_bind(v),
        };
    }

    fn json_text(expression: &str, name: &str) -> String {
        format!("{expression}::text AS {name}")
    }

    fn sequence_catch_up(table: &str, column: &str) -> String {
        format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), GREATEST((SELECT max({column}) FROM {table}), 1))"
        )
    }

    async fn insert_layer(conn: &mut Self::Connection, rows: &LayerRows) -> Found<()> {
        super::postgres::insert_layer(conn, rows).await
    }

    runs!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_database_gets_its_own_placeholders() {
        let mut s = Sql::new("SELECT * FROM cases WHERE fid > ?").arg(3_i64);
        s.and_in("status", &["reported".into(), "registered".into()])
            .push(" AND at < ")
            .bind(chrono::DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(
            s.clone().build::<Sqlite>().sql(),
            "SELECT * FROM cases WHERE fid > ? AND status IN (?, ?) AND at < ?"
        );
        assert_eq!(
            s.build::<Postgres>().sql(),
            "SELECT * FROM cases WHERE fid > $1 AND status IN ($2, $3) AND at < $4"
        );
        let j = Sql::new("UPDATE users SET scope = ?").arg(Arg::Json(Some("[]".into())));
        assert_eq!(
            j.build::<Postgres>().sql(),
            "UPDATE users SET scope = CAST($1 AS jsonb)"
        );
    }
}
