//! The subcommands of the `werun` command-line tool.

pub(crate) mod demo;
pub(crate) mod payload;
