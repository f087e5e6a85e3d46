#!/usr/bin/env bash
# Builds libwerun.a, compiles every tests/c/*.c and examples/*.c against
# include/werun.h as C11 and as C++17, runs each program, then runs it again
# under valgrind, then builds and runs it once more under ASan (with
# LeakSanitizer) and UBSan.
# Also checks that werun.h compiles on its own in both languages.
#
# Usage: tests/c/run.sh (from any directory). CC and CXX override gcc and g++.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$here/build
cc=${CC:-gcc}
cxx=${CXX:-g++}
warnings=(-Wall -Wextra -Werror -pedantic)

cd "$root"
mkdir -p "$build"

cargo build --no-default-features --lib
lib=${CARGO_TARGET_DIR:-$root/target}/debug/libwerun.a

# The system libraries that Rust's std needs.
native_line=$(bash "$root/scripts/lib/native-libs.sh")
read -r -a native_libs <<<"$native_line"

# step, and the result line (scripts/lib/tally.sh).
source "$root/scripts/lib/tally.sh" c-tests

compile_c() {
    "$cc" -std=c11 "${warnings[@]}" -g -I include "$@"
}

# -x none stops the library from being read as C++ source.
compile_cxx() {
    local src=$1
    shift
    "$cxx" -x c++ -std=c++17 "${warnings[@]}" -g -I include "$src" -x none "$@"
}

sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

run_under_asan() {
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$@"
}

# Proves the sanitizer was really linked, as rustls-ffi's CI does.
has_asan() {
    grep -q __asan_init <(nm "$1")
}

run_under_valgrind() {
    valgrind --quiet --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --error-exitcode=1 "$@"
}

# The test-only exports (cargo feature `testing`) are never in the library
# C hosts link.
no_testing_exports() {
    ! grep -q 'werun_testing_' <(nm --defined-only "$lib" 2>/dev/null)
}
step "no werun_testing_ symbol in the shipped library" no_testing_exports

# Included twice, to check the include guard too.
header_only=$build/header_only.c
printf '#include "werun.h"\n#include "werun.h"\n' >"$header_only"
step "werun.h alone, as C" compile_c -c "$header_only" -o "$build/header_only-c.o"
step "werun.h alone, as C++" compile_cxx "$header_only" -c -o "$build/header_only-cpp.o"

# The test programs, and the examples users copy from.
for src in "$here"/*.c "$root"/examples/*.c; do
    name=$(basename "$src" .c)
    for lang in c cpp; do
        exe=$build/$name-$lang
        if [[ $lang == c ]]; then
            compile=(compile_c "$src" "$lib" "${native_libs[@]}" -o "$exe")
        else
            compile=(compile_cxx "$src" "$lib" "${native_libs[@]}" -o "$exe")
        fi
        rm -f "$exe"
        step "compile $name ($lang)" "${compile[@]}"
        [[ -x $exe ]] || continue
        step "run $name ($lang)" "$exe"
        step "valgrind $name ($lang)" run_under_valgrind "$exe"

        # Again with AddressSanitizer (and LeakSanitizer) and
        # UndefinedBehaviorSanitizer on the program; the Rust library is not
        # instrumented, but its allocations go through ASan's allocator.
        asan_exe=$exe-asan
        rm -f "$asan_exe"
        step "compile $name ($lang, asan)" "${compile[@]/%$exe/$asan_exe}" "${sanitize[@]}"
        [[ -x $asan_exe ]] || continue
        step "__asan_init is linked into $name ($lang, asan)" has_asan "$asan_exe"
        step "run $name ($lang) under ASan and UBSan" run_under_asan "$asan_exe"
    done
done

# The bad-input matrix must match its published table in docs/BAD_INPUTS.md
# (between the bad-inputs markers); WERUN_BLESS=1 rewrites the table.
matrix_doc=$root/docs/BAD_INPUTS.md
published_matrix() {
    sed -n '/<!-- bad-inputs:begin -->/,/<!-- bad-inputs:end -->/p' "$matrix_doc" | sed '1d;$d'
}
if [[ ${WERUN_BLESS:-} == 1 ]]; then
    {
        sed -n '1,/<!-- bad-inputs:begin -->/p' "$matrix_doc"
        "$build/bad_inputs-c" --table
        sed -n '/<!-- bad-inputs:end -->/,$p' "$matrix_doc"
    } >"$build/BAD_INPUTS.md"
    mv "$build/BAD_INPUTS.md" "$matrix_doc"
fi
matrix_matches_doc() {
    diff -u <(published_matrix) <("$build/bad_inputs-c" --table 2>/dev/null) >&2
}
step "bad_inputs output matches docs/BAD_INPUTS.md" matrix_matches_doc

tally_finish
