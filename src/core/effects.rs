//! Work that runs user code, collected under the context lock and run after
//! it is released: authorization notifications, completions, sealing, and
//! host hooks, in that order.
//!
//! It knows nothing of the context that collected it: a hook that is
//! missing or panics is handed back through the `fail_request` callback.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::authorization::Authorization;
use super::call::{CallId, CallResult, Completer, Failure};
use super::host::Host;
use super::injected_panic::{self, Site};
use super::request::{RequestId, RequestKind};
use crate::open_data::{SessionKey, StepWindowPlaintext};

#[derive(Default)]
pub(crate) struct Effects {
    notifications: Vec<(Arc<Host>, Authorization)>,
    completions: Vec<(Completer, CallResult)>,
    seal: Option<SealJob>,
    hooks: Vec<(Arc<Host>, RequestKind, RequestId)>,
}

/// One plaintext to seal for each waiting call, each with a fresh IV.
pub(crate) struct SealJob {
    plaintext: StepWindowPlaintext,
    key: SessionKey,
    completers: Vec<Completer>,
}

impl SealJob {
    pub(crate) fn new(
        plaintext: StepWindowPlaintext,
        key: SessionKey,
        completers: Vec<Completer>,
    ) -> SealJob {
        SealJob {
            plaintext,
            key,
            completers,
        }
    }

    fn run(self) {
        for completer in self.completers {
            injected_panic::hit(Site::Seal);
            let result = match self.plaintext.seal(&self.key) {
                Ok(sealed) => CallResult {
                    sealed: Some(sealed),
                    ..CallResult::ok(completer.api())
                },
                Err(_) => CallResult::failed(completer.api(), &Failure::Panic),
            };
            completer.complete(&result);
        }
    }
}

impl Effects {
    pub(crate) fn is_empty(&self) -> bool {
        self.notifications.is_empty()
            && self.completions.is_empty()
            && self.seal.is_none()
            && self.hooks.is_empty()
    }

    pub(crate) fn notify_authorization(&mut self, host: Arc<Host>, state: Authorization) {
        self.notifications.push((host, state));
    }

    pub(crate) fn complete(&mut self, completer: Completer, result: CallResult) {
        self.completions.push((completer, result));
    }

    pub(crate) fn seal(&mut self, job: SealJob) {
        self.seal = Some(job);
    }

    pub(crate) fn call_hook(&mut self, host: Arc<Host>, kind: RequestKind, request: RequestId) {
        self.hooks.push((host, kind, request));
    }

    /// The calls this batch completes.
    pub(crate) fn finished_calls(&self) -> impl Iterator<Item = CallId> + '_ {
        let finished = self.completions.iter().map(|(completer, _)| completer);
        let sealed = self.seal.iter().flat_map(|job| &job.completers);
        finished.chain(sealed).map(Completer::call)
    }

    /// Runs everything; host references are dropped before this returns, so
    /// the context's last reference to a host is released by its owner. A
    /// request whose hook is missing or panics goes to `fail_request`.
    pub(crate) fn run(self, fail_request: impl Fn(RequestId, &Failure)) {
        for (host, state) in self.notifications {
            if let Some(hook) = &host.authorization_changed {
                // A panicking Rust hook is the host's bug; the state change stands.
                let _ = catch_unwind(AssertUnwindSafe(|| hook(state)));
            }
        }
        for (completer, result) in self.completions {
            completer.complete(&result);
        }
        if let Some(job) = self.seal {
            job.run();
        }
        for (host, kind, request) in self.hooks {
            let hook = match kind {
                RequestKind::Login => &host.login,
                RequestKind::Authorize => &host.authorize,
                RequestKind::GetSteps => &host.get_steps,
            };
            let Some(hook) = hook else {
                fail_request(request, &Failure::Unsupported);
                continue;
            };
            if catch_unwind(AssertUnwindSafe(|| hook(request))).is_err() {
                fail_request(request, &Failure::Panic);
            }
        }
    }
}
