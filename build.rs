//! Generates the C header into OUT_DIR. The committed `include/werun.h` is
//! checked against it by `tests/header.rs`; build.rs never writes the source
//! tree, so `cargo package` and read-only checkouts work.

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("werun.h");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("reading cbindgen.toml");
    // Only src/ffi is the C surface; the core's public Rust items stay out.
    cbindgen::Builder::new()
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("generating werun.h from src/ffi")
        .write_to_file(&out);
}
