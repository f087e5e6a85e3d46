//! Test-only C exports (cargo feature `testing`). They are not part of the
//! ABI: they are absent from `include/werun.h` and from every build without
//! the feature, which `tests/c/run.sh` checks on the shipped library.

use crate::core::injected_panic::{self, Site};
use crate::core::{Error, Status};
use crate::ffi::werun_status;

/// Arms one panic inside the core at `site` (1: while a new call is routed,
/// before it is accepted; 2: while a waiting call is sealed), replacing any
/// armed before. The next call that reaches the site panics there.
///
/// Returns: OK, or INVALID_ARGUMENT for an unknown site.
#[unsafe(no_mangle)]
pub extern "C" fn werun_testing_arm_panic(site: u32) -> werun_status {
    crate::ffi::ffi_boundary(|| {
        let site = Site::from_code(site).ok_or_else(|| {
            Error::new(
                Status::InvalidArgument,
                format!("site {site} is not a panic site (1: route, 2: seal)"),
            )
        })?;
        injected_panic::arm(site);
        Ok(())
    })
}
