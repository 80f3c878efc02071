//! Inspections and assessments (FIELDWORK §2–3): the checklist templates assessments are scored
//! by (`checklist_book`). Scoring itself and the contract rules are pure, in citygrid-core
//! (`checklist`, `contract_rule`).

pub mod checklist_book;

pub use checklist_book::{ChecklistBook, ChecklistEditError};
