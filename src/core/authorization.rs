//! The `scope.werun` authorization state.

/// Whether the user allowed the app to read WeRun data (`scope.werun`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Authorization {
    #[default]
    NotDetermined,
    Granted,
    Denied,
}
