#!/usr/bin/env bash
# The C library as a C host installs it: `cargo cinstall` (cargo-c) into a
# fresh prefix, then examples/c_host.c built with nothing but what
# `pkg-config werun` says, linked once against libwerun.so and once against
# libwerun.a, and run. Also checks what was installed: the header equals
# include/werun.h, the shared library has its soname and exports only
# werun_* symbols (never the `testing` feature's).
#
# Usage: tests/c/installed.sh. Needs cargo-c (scripts/test.sh installs the
# pinned version), gcc and pkg-config.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cc=${CC:-gcc}

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
# step, gate, and the result line (scripts/lib/tally.sh).
source scripts/lib/tally.sh installed

echo "== cargo cinstall --prefix $prefix"
cargo cinstall --release --no-default-features --locked --prefix "$prefix" --libdir "$prefix/lib"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# Only the installed prefix: never a werun.h from the repository.
cflags=$(pkg-config --cflags werun)
libs=$(pkg-config --libs werun)
static_libs=$(pkg-config --static --libs werun)
echo "pkg-config werun: --cflags '$cflags', --libs '$libs', --static --libs '$static_libs'"

step "werun.pc: version $(pkg-config --modversion werun) is the crate's" \
  test "$(pkg-config --modversion werun)" = "$(cargo pkgid | sed 's/.*[#@]//')"
step "the installed werun.h is include/werun.h" cmp -s "$prefix/include/werun/werun.h" include/werun.h
step "libwerun.so has a soname" bash -c "objdump -p '$prefix/lib/libwerun.so' | grep -q 'SONAME *libwerun\.so\.'"
exports() { nm -D --defined-only "$prefix/lib/libwerun.so" | awk '$2 == "T" { print $3 }'; }
only_werun_exports() { ! exports | grep -v '^werun_'; }
# grep without -q reads to the end, so nothing upstream dies of SIGPIPE.
exports_the_abi() { exports | grep -x werun_context_new >/dev/null; }
no_testing_export() { ! exports | grep testing >/dev/null; }
step "libwerun.so exports werun_* only" only_werun_exports
step "libwerun.so exports the ABI (werun_context_new)" exports_the_abi
step "libwerun.so lacks the testing feature's export" no_testing_export

out=$prefix/build
mkdir -p "$out"
# shellcheck disable=SC2086 # pkg-config's flags are word lists
build_shared() { $cc -std=c11 -Wall -Wextra -Werror -pedantic $cflags examples/c_host.c $libs -lpthread -o "$out/c_host_shared"; }
# shellcheck disable=SC2086
build_static() { $cc -std=c11 -Wall -Wextra -Werror -pedantic $cflags examples/c_host.c \
  -Wl,-Bstatic -lwerun -Wl,-Bdynamic ${static_libs//-lwerun/} -lpthread -o "$out/c_host_static"; }
run_shared() { LD_LIBRARY_PATH=$prefix/lib "$out/c_host_shared"; }
run_static() { "$out/c_host_static"; }
# ldd's whole output first: under pipefail, `ldd | grep -q` fails whenever
# grep exits before ldd has written everything (SIGPIPE).
uses_the_installed_so() {
  local deps
  deps=$(LD_LIBRARY_PATH=$prefix/lib ldd "$out/c_host_shared")
  grep -qF "$prefix/lib/libwerun.so" <<<"$deps"
}
links_no_werun_so() {
  local deps
  deps=$(ldd "$out/c_host_static")
  ! grep -q libwerun <<<"$deps"
}

if gate "examples/c_host.c builds against the shared library" build_shared; then
  step "... and loads the installed libwerun.so" uses_the_installed_so
  step "... and runs" run_shared
fi
if gate "examples/c_host.c builds against the static library" build_static; then
  step "... with no libwerun.so dependency" links_no_werun_so
  step "... and runs" run_static
fi

tally_finish
