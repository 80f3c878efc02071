//! `citygrid routes`: every route with the permission it needs and the roles that hold it
//! (the table in `docs/access.md`).

pub fn run() {
    print!(
        "{}",
        crate::http::endpoint::access_table(&crate::http::endpoints())
    );
}
