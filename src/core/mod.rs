//! The pure-Rust engine: context, session, authorization, calls in flight,
//! single-flight host requests, timeouts, cancellation and exactly-once
//! completion. It has no FFI types; `crate::ffi` wraps it for C.

mod authorization;
mod call;
mod context;
mod effects;
mod host;
pub(crate) mod injected_panic;
#[cfg(all(test, loom))]
mod loom_model;
mod registry;
mod request;
mod session;
mod settings;
pub mod status;
mod sync;
mod timer;

pub use crate::open_data::StepSample;
pub use authorization::Authorization;
pub use call::{Api, CallId, CallResult, Completion, Failure};
pub use context::{Context, MAX_APPID_LEN};
pub use host::{AuthorizationHook, Host, RequestHook};
pub use request::{HostAnswer, HostFailure, MAX_HOST_FAILURE_MESSAGE_LEN, RequestId, RequestKind};
pub(crate) use settings::NO_SETTING_CHANGED;
pub use settings::{
    DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT, DEFAULT_UTC_OFFSET_MINUTES, MAX_TIMEOUT,
    MAX_UTC_OFFSET_MINUTES, MIN_TIMEOUT, MIN_UTC_OFFSET_MINUTES, Settings,
};
pub use status::{Error, Status};

/// Fails `call` with CANCELLED. STALE_REQUEST if it already finished or is
/// unknown.
pub fn cancel(call: CallId) -> Result<(), Error> {
    context::owner(call.0)
        .ok_or_else(Error::stale_call)?
        .cancel(call)
}

/// Answers a host request from any thread, including from inside the hook
/// that received it.
///
/// - `StaleRequest`: unknown, finished, timed out, withdrawn, or its context
///   was freed; nothing changes.
/// - `InvalidArgument`: the wrong kind of answer for the request, or a failure
///   message over [`MAX_HOST_FAILURE_MESSAGE_LEN`] bytes; it stays pending.
/// - `InvalidData`: the data was refused; the request is consumed and its
///   calls fail with `invalid host data: <detail>`. (A host that finds its own
///   answer unusable says so with `HostFailure::InvalidData`, for the same
///   wording.)
pub fn answer(request: RequestId, answer: HostAnswer<'_>) -> Result<(), Error> {
    answer.check()?;
    context::owner(request.0)
        .ok_or_else(Error::stale_request)?
        .answer(request, answer)
}

/// Answers a `get_steps` request with raw samples read from `samples`, as
/// [`answer`] does with [`HostAnswer::Steps`]. Their count is checked against
/// [`MAX_SAMPLES`](crate::open_data::MAX_SAMPLES) before any is read, so a
/// source that reads lazily, such as a foreign array of any claimed length,
/// costs nothing when it claims too many.
pub fn answer_steps(
    request: RequestId,
    samples: impl ExactSizeIterator<Item = StepSample>,
) -> Result<(), Error> {
    context::owner(request.0)
        .ok_or_else(Error::stale_request)?
        .answer_steps(request, samples)
}
