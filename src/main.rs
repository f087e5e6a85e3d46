//! The `werun` command-line tool.

mod demo;

use clap::{Parser, Subcommand};

/// WeChat Run getWeRunData for Taro apps on HarmonyOS and React Native.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play a host end to end on embedded data: login, getWeRunData, the
    /// sealed payload, the backend decrypting it, and the unsupported path.
    Demo,
}

fn main() -> std::process::ExitCode {
    match Cli::parse().command {
        Command::Demo => demo::run(),
    }
}
