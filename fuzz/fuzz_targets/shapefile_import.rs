//! Fuzz target: see `citygrid::fuzz_entry::shapefile_import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citygrid::fuzz_entry::shapefile_import(data));
