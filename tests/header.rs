//! The committed `include/werun.h` is exactly what cbindgen generates now,
//! and it compiles on its own as strict C11 and as C++17.
//!
//! To regenerate after changing `src/ffi`: `WERUN_BLESS=1 cargo test --test header`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What cbindgen generates from `src/ffi` now. cbindgen is a
/// dev-dependency: only this test runs it, so no build of werun compiles it.
fn generated() -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("reading cbindgen.toml");
    let mut header = Vec::new();
    // Only src/ffi is the C surface; the core's public Rust items stay out.
    cbindgen::Builder::new()
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("generating werun.h from src/ffi")
        .write(&mut header);
    String::from_utf8(header).expect("cbindgen writes UTF-8")
}

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include/werun.h")
}

#[test]
fn committed_header_matches_cbindgen_output() {
    let path = committed_path();
    let generated = generated();
    if std::env::var_os("WERUN_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("writing include/werun.h");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/werun.h differs from what cbindgen generates from src/ffi; \
         regenerate it with `WERUN_BLESS=1 cargo test --test header` and commit it"
    );
}

fn compile_alone(compiler: &str, args: &[&str]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let output = Command::new(compiler)
        .args(args)
        .arg("-I")
        .arg(committed_path().parent().unwrap())
        .args(["-fsyntax-only", "-x"])
        .arg(if compiler == "g++" { "c++" } else { "c" })
        .arg("-")
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(b"#include \"werun.h\"\n")?;
            child.wait_with_output()
        })
        .unwrap_or_else(|e| panic!("running {compiler}: {e} (the test command installs it)"));
    assert!(
        output.status.success(),
        "werun.h does not compile alone with {compiler} {args:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn header_compiles_alone_as_strict_c11() {
    compile_alone(
        "gcc",
        &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"],
    );
}

#[test]
fn header_compiles_alone_as_cpp17() {
    compile_alone(
        "g++",
        &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"],
    );
}
