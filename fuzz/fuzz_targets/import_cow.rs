//! The Correlates of War importers on any file (the first byte chooses the import options, see
//! `common::import`, and with bit 4 set the alliance reader instead of the MID reader): no
//! panic, and what they write loads with the loader.

#![no_main]

mod common;

use georel::import::cow;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let alliance = data.first().is_some_and(|&flags| flags & 16 != 0);
    if alliance {
        common::import(data, "alliance.csv", "cow", cow::read_alliance);
    } else {
        common::import(data, "mid.csv", "cow", cow::read_mid);
    }
});
