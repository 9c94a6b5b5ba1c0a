//! The icews importer on any file (the first byte chooses the import options; see
//! `common::import`): no panic, and what it writes loads with the loader.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::import(data, "events.tab", "icews", georel::import::icews::read));
