//! `werun_context`: creation, configuration, session and free.

use std::cell::RefCell;
use std::ffi::c_char;
use std::time::Duration;

use super::boundary::Error;
use super::boundary::{ffi_boundary, required, required_non_null, required_str};
use super::status::{authorization_code, authorization_from_code, werun_status};
use crate::core::{self, Context};

/// One app's werun state: appid, timeouts, host, session, `scope.werun`
/// authorization, and the calls in flight.
///
/// Ownership: created by `werun_context_new`, freed by `werun_context_free`.
/// Threading: every function taking a context may be called from any thread,
/// concurrently, except `werun_context_free`, which must not race with any
/// other use of the same context.
pub struct werun_context {
    pub(crate) inner: Context,
}

/// Borrows the context behind `ctx`.
///
/// # Safety
/// `ctx` is NULL or a live pointer from `werun_context_new`.
pub(crate) unsafe fn context<'a>(ctx: *const werun_context) -> Result<&'a Context, Error> {
    // SAFETY: forwarded from the caller.
    Ok(&unsafe { required(ctx, "ctx") }?.inner)
}

/// Creates a context for the mini program `appid` (non-empty, at most 256
/// bytes), which goes into every watermark.
///
/// It starts with the default settings (listed on `werun_settings`), no
/// host, no session, and authorization NOT_DETERMINED.
///
/// Ownership: on OK, `*out` must eventually be freed with `werun_context_free`.
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_new(
    appid: *const c_char,
    out: *mut *mut werun_context,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a C string or NULL.
        let appid = unsafe { required_str(appid, "appid") }?;
        required_non_null(out, "out")?;
        let context = Box::new(werun_context {
            inner: Context::new(appid)?,
        });
        // SAFETY: checked non-NULL; the caller provides a writable slot.
        unsafe { out.write(Box::into_raw(context)) };
        Ok(())
    })
}

/// `werun_settings.fields` flag: apply `timeout_ms`.
pub const WERUN_SETTING_TIMEOUT_MS: u32 = 1;
/// `werun_settings.fields` flag: apply `utc_offset_minutes`.
pub const WERUN_SETTING_UTC_OFFSET_MINUTES: u32 = 2;
/// `werun_settings.fields` flag: apply `max_in_flight`.
pub const WERUN_SETTING_MAX_IN_FLIGHT: u32 = 4;

/// Every `WERUN_SETTING_*` flag this library knows.
const KNOWN_SETTINGS: u32 =
    WERUN_SETTING_TIMEOUT_MS | WERUN_SETTING_UTC_OFFSET_MINUTES | WERUN_SETTING_MAX_IN_FLIGHT;

/// Settings for `werun_context_configure`: the fields `fields` names are
/// applied, the others are not read and keep their current value.
///
/// Start from all zeros, then set each field with its flag. New fields are
/// only ever appended, each with a new flag, and a field is read only when
/// its flag is set, so a struct built against an older werun.h stays valid.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct werun_settings {
    /// Which fields to apply: an OR of `WERUN_SETTING_*` flags. 0 applies
    /// nothing.
    pub fields: u32,
    /// How long a host request may stay unanswered before its calls fail
    /// with TIMEOUT, in ms: at least 1; default 10000. Applies to requests
    /// sent afterwards.
    pub timeout_ms: u32,
    /// The UTC offset of the step days' midnight, in minutes: -720..=840;
    /// default 480 (WeChat's days start at 00:00 UTC+8).
    pub utc_offset_minutes: i32,
    /// The most calls that may wait on the host at once: at least 1; default
    /// 1024. Past it, a call that would wait fails with BUSY
    /// ("<api>:fail busy") through `fail` before the call function returns.
    pub max_in_flight: u32,
}

/// Applies every setting `settings->fields` names, or none: each is checked
/// first, and if any is refused, nothing changes. They are applied together,
/// so a call started concurrently sees all of them or none.
///
/// A flag in `fields` that is not a `WERUN_SETTING_*` of this library (one
/// from a newer werun.h, say) returns INVALID_ARGUMENT and changes nothing.
///
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT (`werun_last_error()` names
/// every refused setting and the value it was given).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_configure(
    ctx: *mut werun_context,
    settings: *const werun_settings,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        let ctx = unsafe { context(ctx) }?;
        required_non_null(settings, "settings")?;
        // SAFETY: non-NULL; the caller's struct has at least the fields its
        // flags name, and every struct has `fields`.
        let settings = unsafe { core_settings(settings) }?;
        Ok(ctx.configure(settings)?)
    })
}

/// The core's settings for the fields `settings->fields` names, reading
/// only those.
///
/// # Safety
/// `settings` is non-NULL and readable up to the last field its flags name.
unsafe fn core_settings(settings: *const werun_settings) -> Result<core::Settings, Error> {
    // SAFETY: forwarded from the caller; `fields` is in every version.
    let fields = unsafe { (&raw const (*settings).fields).read() };
    let unknown = fields & !KNOWN_SETTINGS;
    if unknown != 0 {
        return Err(Error::invalid_argument(format!(
            "settings->fields has unknown bits 0x{unknown:x} (this library's WERUN_SETTING_* flags are 0x{KNOWN_SETTINGS:x}); {}",
            core::NO_SETTING_CHANGED
        )));
    }
    let named = |flag: u32| fields & flag != 0;
    let mut read = core::Settings::default();
    if named(WERUN_SETTING_TIMEOUT_MS) {
        // SAFETY: its flag is set, so the caller's struct has this field.
        let ms = unsafe { (&raw const (*settings).timeout_ms).read() };
        read.timeout = Some(Duration::from_millis(u64::from(ms)));
    }
    if named(WERUN_SETTING_UTC_OFFSET_MINUTES) {
        // SAFETY: as above.
        read.utc_offset_minutes =
            Some(unsafe { (&raw const (*settings).utc_offset_minutes).read() });
    }
    if named(WERUN_SETTING_MAX_IN_FLIGHT) {
        // SAFETY: as above.
        read.max_in_flight = Some(unsafe { (&raw const (*settings).max_in_flight).read() });
    }
    Ok(read)
}

/// Sets how long a host request may stay unanswered: a shorthand for
/// `werun_context_configure` with `WERUN_SETTING_TIMEOUT_MS` alone (same
/// rules and default, on `werun_settings`).
///
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_set_timeout_ms(
    ctx: *mut werun_context,
    timeout_ms: u32,
) -> werun_status {
    let settings = werun_settings {
        fields: WERUN_SETTING_TIMEOUT_MS,
        timeout_ms,
        ..werun_settings::default()
    };
    // SAFETY: forwarded ctx; settings is a local.
    unsafe { werun_context_configure(ctx, &settings) }
}

/// Sets the UTC offset of the step days' midnight, in minutes: a shorthand
/// for `werun_context_configure` with `WERUN_SETTING_UTC_OFFSET_MINUTES`
/// alone (same rules and default, on `werun_settings`).
///
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_set_utc_offset_minutes(
    ctx: *mut werun_context,
    minutes: i32,
) -> werun_status {
    let settings = werun_settings {
        fields: WERUN_SETTING_UTC_OFFSET_MINUTES,
        utc_offset_minutes: minutes,
        ..werun_settings::default()
    };
    // SAFETY: forwarded ctx; settings is a local.
    unsafe { werun_context_configure(ctx, &settings) }
}

/// Sets the most calls that may wait on the host at once: a shorthand for
/// `werun_context_configure` with `WERUN_SETTING_MAX_IN_FLIGHT` alone (same
/// rules and default, on `werun_settings`).
///
/// Returns: OK, NULL_ARGUMENT, INVALID_ARGUMENT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_set_max_in_flight(
    ctx: *mut werun_context,
    max: u32,
) -> werun_status {
    let settings = werun_settings {
        fields: WERUN_SETTING_MAX_IN_FLIGHT,
        max_in_flight: max,
        ..werun_settings::default()
    };
    // SAFETY: forwarded ctx; settings is a local.
    unsafe { werun_context_configure(ctx, &settings) }
}

/// Sets the `scope.werun` state (a `WERUN_AUTH_*` value), for example after
/// the user changed it in openSetting, or to restore a persisted state. The
/// host's `authorization_changed` is not called: the host made this change.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_set_authorization(
    ctx: *mut werun_context,
    state: u32,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        let ctx = unsafe { context(ctx) }?;
        let state = authorization_from_code(state).ok_or_else(|| {
            Error::invalid_argument(format!(
                "authorization state {state} is not WERUN_AUTH_NOT_DETERMINED (0), WERUN_AUTH_GRANTED (1) or WERUN_AUTH_DENIED (2)"
            ))
        })?;
        ctx.set_authorization(state);
        Ok(())
    })
}

/// Writes the current `scope.werun` state (a `WERUN_AUTH_*` value).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_get_authorization(
    ctx: *const werun_context,
    state_out: *mut u32,
) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        let ctx = unsafe { context(ctx) }?;
        required_non_null(state_out, "state_out")?;
        // SAFETY: checked non-NULL; the caller provides a writable slot.
        unsafe { state_out.write(authorization_code(ctx.authorization())) };
        Ok(())
    })
}

/// Drops the session and zeroizes its key. Calls in flight are not affected
/// until they need the session again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_logout(ctx: *mut werun_context) -> werun_status {
    ffi_boundary(|| {
        // SAFETY: the caller passes a live context or NULL.
        unsafe { context(ctx) }?.logout();
        Ok(())
    })
}

/// Frees a context. NULL does nothing and returns OK.
///
/// Every call in flight fails with CANCELLED before this returns; callbacks
/// already running on other threads are waited for; then the host's
/// `release` runs once. After this returns OK, no callback or hook of this
/// context runs again, and answers to its requests return STALE_REQUEST, so
/// the caller may free every `user_data` and `host_data` it gave.
///
/// Called from inside one of this context's own callbacks or hooks (a
/// call's `success`/`fail`/`complete`, a host hook, `authorization_changed`
/// or `release`, on any thread, a timeout's included), it cannot keep
/// that promise: it would have to wait for the very callback that called it.
/// So it refuses: it returns WERUN_ERR_REENTRANT, sets `werun_last_error()`,
/// and does nothing; the context stays alive and usable. Free it after the
/// callback returns (for example, post the free to your event loop).
///
/// Must not be called concurrently with any other use of `ctx`.
///
/// Returns: OK, REENTRANT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn werun_context_free(ctx: *mut werun_context) -> werun_status {
    ffi_boundary(|| {
        if ctx.is_null() {
            return Ok(());
        }
        // A callback run by this very free (a cancelled call's, or release):
        // `ctx` is being dropped, so it is recognised by address alone.
        if FREEING.with(|freeing| freeing.borrow().contains(&(ctx as usize))) {
            return Err(core::Error::reentrant_free().into());
        }
        // SAFETY: a non-NULL ctx is live (from werun_context_new, not freed).
        unsafe { context(ctx) }?.check_free()?;
        let _freeing = Freeing::new(ctx);
        // SAFETY: a non-NULL ctx came from werun_context_new and is freed once.
        drop(unsafe { Box::from_raw(ctx) });
        Ok(())
    })
}

thread_local! {
    /// The contexts `werun_context_free` is freeing on this thread.
    static FREEING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Marks a context as being freed on this thread until dropped, even by a
/// panic.
struct Freeing(usize);

impl Freeing {
    fn new(ctx: *mut werun_context) -> Freeing {
        let address = ctx as usize;
        FREEING.with(|freeing| freeing.borrow_mut().push(address));
        Freeing(address)
    }
}

impl Drop for Freeing {
    fn drop(&mut self) {
        FREEING.with(|freeing| {
            let mut freeing = freeing.borrow_mut();
            if let Some(at) = freeing.iter().rposition(|&a| a == self.0) {
                freeing.remove(at);
            }
        });
    }
}
