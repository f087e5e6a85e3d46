//! The `werun` command-line tool.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::payload::{AFTER_HELP, Decrypt, Seal};

/// WeChat Run getWeRunData for Taro apps on HarmonyOS and React Native, and
/// the open-data payloads it seals.
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
    /// Decrypt a payload as a backend does (WeChat's published algorithm):
    /// print its JSON, or with --table a 31-day table of a WeRun payload.
    ///
    /// The encrypted data comes from --data, --data-file or standard input,
    /// and may be wrapped across lines or indented, as WeChat's samples
    /// accept it. Errors name the likely cause: a '+' that became ' ' on the
    /// way, percent-encoding, a wrong or stale session key, another app's
    /// watermark.
    #[command(after_help = AFTER_HELP)]
    Decrypt(Decrypt),
    /// Seal JSON as WeChat seals open data, for backend test fixtures:
    /// raw step samples (default) or any JSON in, {"encryptedData", "iv"} out.
    #[command(after_help = AFTER_HELP)]
    Seal(Seal),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Demo => cli::demo::run(),
        Command::Decrypt(decrypt) => decrypt.run(),
        Command::Seal(seal) => seal.run(),
    }
}
