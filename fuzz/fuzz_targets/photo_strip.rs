//! Fuzz target: see `citygrid::fuzz_entry::photo_strip`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citygrid::fuzz_entry::photo_strip(data));
