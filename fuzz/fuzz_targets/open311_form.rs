//! Fuzz target: see `citygrid::fuzz_entry::open311_form`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citygrid::fuzz_entry::open311_form(data));
