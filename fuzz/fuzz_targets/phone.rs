//! `phone`: see `lanyard_fuzz::check_phone` for the properties asserted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(raw) = lanyard_fuzz::text(data) {
        lanyard_fuzz::check_phone(raw);
    }
});
