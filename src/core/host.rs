//! The host implementation an app registers: the platform's step source.

use std::fmt;

use super::authorization::Authorization;
use super::request::RequestId;

/// A hook that receives a request to answer with [`crate::core::answer`],
/// either before it returns or later, from any thread.
pub type RequestHook = Box<dyn Fn(RequestId) + Send + Sync>;
/// Told about every authorization change the core makes, so it can persist it.
pub type AuthorizationHook = Box<dyn Fn(Authorization) + Send + Sync>;

/// What an app plugs in: each hook is optional.
///
/// - no `login`: login is unsupported;
/// - no `authorize`: `scope.werun` counts as granted on first use;
/// - no `get_steps`: getWeRunData is unsupported.
///
/// Hooks run on a thread that called into the library (for a call started
/// from a timeout's completion, the thread the library started for that
/// timeout), with no library lock held. Dropping the host (when it is
/// replaced or its context is freed) releases whatever its hooks captured.
#[derive(Default)]
pub struct Host {
    pub(crate) login: Option<RequestHook>,
    pub(crate) authorize: Option<RequestHook>,
    pub(crate) get_steps: Option<RequestHook>,
    pub(crate) authorization_changed: Option<AuthorizationHook>,
}

impl Host {
    pub fn new() -> Host {
        Host::default()
    }

    pub fn with_login(mut self, hook: impl Fn(RequestId) + Send + Sync + 'static) -> Host {
        self.login = Some(Box::new(hook));
        self
    }

    pub fn with_authorize(mut self, hook: impl Fn(RequestId) + Send + Sync + 'static) -> Host {
        self.authorize = Some(Box::new(hook));
        self
    }

    pub fn with_get_steps(mut self, hook: impl Fn(RequestId) + Send + Sync + 'static) -> Host {
        self.get_steps = Some(Box::new(hook));
        self
    }

    pub fn with_authorization_changed(
        mut self,
        hook: impl Fn(Authorization) + Send + Sync + 'static,
    ) -> Host {
        self.authorization_changed = Some(Box::new(hook));
        self
    }
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("login", &self.login.is_some())
            .field("authorize", &self.authorize.is_some())
            .field("get_steps", &self.get_steps.is_some())
            .field(
                "authorization_changed",
                &self.authorization_changed.is_some(),
            )
            .finish()
    }
}
