//! 12345 hotline work orders (FIELDWORK §6, issue 20, in progress): `suggest` turns a caller's
//! words into ranked case categories. The order types and the loop are citygrid-core's
//! `work_order`.

pub mod orders;
pub mod suggest;
