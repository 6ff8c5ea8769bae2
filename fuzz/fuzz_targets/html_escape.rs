//! `html_escape`: see `lanyard_fuzz::check_html_escape` for the properties asserted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(raw) = lanyard_fuzz::text(data) {
        lanyard_fuzz::check_html_escape(raw);
    }
});
