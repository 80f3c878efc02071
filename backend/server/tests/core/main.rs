//! Integration tests of the spatial core, the store and the HTTP API, on the demo district and
//! on small hand-made districts. One test binary (see ripgrep's layout) keeps link times low.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod analytics;
mod api;
mod approvals_api;
mod assessments_api;
mod bureau_files;
mod campaigns_api;
mod cases;
mod checklists_api;
mod demo_fieldwork;
mod demo_hotline;
mod demo_inspections;
mod dispatch;
mod events;
mod fuzz_regressions;
mod geocode;
mod hardening;
mod history;
mod hotline_api;
mod layer_files_api;
mod locate;
mod open311;
mod openapi;
mod osm;
mod periods_api;
mod report_draft;
mod routing;
mod sections_layer;
mod statistics;
mod store;
mod store_suite;
mod suggestion;
mod support;
mod webapp_api;
