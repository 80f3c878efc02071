//! Fuzz target: see `citygrid::fuzz_entry::core_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citygrid::fuzz_entry::core_text(data));
