//! The panic boundary, `werun_last_error`, and argument conversion.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::status::werun_status;
use crate::{core, open_data};

/// A refused C call: its status and the sentence for `werun_last_error`.
/// The core's and open data's errors convert into it; NULL_ARGUMENT, which
/// only a C caller can cause, starts here.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) status: werun_status,
    pub(crate) message: String,
}

impl Error {
    pub(crate) fn new(status: werun_status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(werun_status::WERUN_ERR_INVALID_ARGUMENT, message)
    }

    fn null(name: &str) -> Error {
        Error::new(
            werun_status::WERUN_ERR_NULL_ARGUMENT,
            format!("{name} is NULL"),
        )
    }
}

impl From<core::Error> for Error {
    fn from(error: core::Error) -> Error {
        Error::new(werun_status::from(error.status), error.message)
    }
}

impl From<open_data::Error> for Error {
    fn from(error: open_data::Error) -> Error {
        core::Error::from(error).into()
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Runs an extern fn's body: a returned error becomes its status and this
/// thread's last error; a panic becomes `WERUN_ERR_PANIC` and never unwinds
/// into C.
pub(crate) fn ffi_boundary(body: impl FnOnce() -> Result<(), Error>) -> werun_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => werun_status::WERUN_OK,
        Ok(Err(error)) => {
            set_last_error(&error.message);
            error.status
        }
        Err(_) => {
            set_last_error("werun caught an internal panic; the operation was abandoned");
            werun_status::WERUN_ERR_PANIC
        }
    }
}

/// The same boundary for functions with no status to return.
pub(crate) fn ffi_boundary_void(body: impl FnOnce()) {
    let _ = ffi_boundary(|| {
        body();
        Ok(())
    });
}

fn set_last_error(message: &str) {
    let message = c_string_lossy(message);
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
}

/// A sentence describing this thread's last non-OK return, or "" if none.
///
/// It never contains key material. Ownership: borrowed; valid until the next
/// werun call on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn werun_last_error() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// A C string for a message that may, in theory, hold a NUL: NULs are dropped.
pub(crate) fn c_string_lossy(text: &str) -> CString {
    CString::new(text)
        .unwrap_or_else(|_| CString::new(text.replace('\0', "")).expect("all NULs were removed"))
}

/// Borrows a required C string argument as UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded from the caller.
    unsafe { optional_str(ptr, name) }?.ok_or_else(|| Error::null(name))
}

/// Borrows a nullable C string argument as UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn optional_str<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and the caller promises NUL termination and lifetime.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Error::invalid_argument(format!(
            "{name} is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// Borrows a required pointer argument.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `T` for `'a`.
pub(crate) unsafe fn required<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: forwarded from the caller.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::null(name))
}

/// Checks that a pointer argument is non-NULL before any work is done: an
/// out-param, or a struct read field by field (without a reference to it).
pub(crate) fn required_non_null<T>(ptr: *const T, name: &str) -> Result<(), Error> {
    if ptr.is_null() {
        return Err(Error::null(name));
    }
    Ok(())
}
