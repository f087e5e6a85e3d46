//! The `scope.werun` authorization state.

/// Whether the user allowed the app to read WeRun data (`scope.werun`).
///
/// The numeric values are the C ABI's `WERUN_AUTH_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Authorization {
    #[default]
    NotDetermined = 0,
    Granted = 1,
    Denied = 2,
}

impl Authorization {
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<Authorization> {
        match code {
            0 => Some(Authorization::NotDetermined),
            1 => Some(Authorization::Granted),
            2 => Some(Authorization::Denied),
            _ => None,
        }
    }
}
