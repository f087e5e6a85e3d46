# werun's Rust core as a CMake target, built by cargo as part of the CMake
# build: what the HarmonyOS module (bindings/harmony/src/main/cpp) and the
# React Native module (bindings/react-native/android) link, so an app's
# hvigor or Gradle build needs no cargo step of its own.
#
#   include(WerunRust.cmake)
#   werun_rust_core(<name> CRATE_DIR <dir with werun's Cargo.toml>
#                   [RUST_TARGET <triple>])
#   target_link_libraries(mylib PRIVATE <name>)
#
# <name> is an imported static library (libwerun.a, with werun.h's directory
# as its include directory and the system libraries Rust's standard library
# needs) that depends on a custom target, <name>_cargo, which runs
#
#   cargo rustc --lib --crate-type staticlib --no-default-features --locked
#               [--release] [--target <triple>]
#
# on every build; cargo itself decides whether anything changed. Only the
# static library is built, so a cross build needs no Rust linker setting.
# RUST_TARGET empty (the default) builds for the host, as plain cargo does.
#
# Settings, as cache variables (-D...):
#   WERUN_CARGO         the cargo program (default: found on PATH, then in
#                       $CARGO_HOME/bin and ~/.cargo/bin).
#   WERUN_CARGO_PROFILE release or dev; by default release, but dev for
#                       CMAKE_BUILD_TYPE Debug.
# Cargo's output goes to $CARGO_TARGET_DIR when the environment sets it at
# configure time (so a build shares a target directory with the developer's
# cargo), and otherwise to <build dir>/cargo.
#
# Cross builds: the C compiler and archiver CMake's toolchain names are
# passed as CC_<triple> and AR_<triple>, for any dependency that compiles C.
# Build scripts run on the build machine, so cargo needs a host C linker.
#
# This file is the one copy: bindings/common/vendor.mjs copies it into
# react-native-werun when the package is packed.
include_guard(GLOBAL)

function(werun_rust_core name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "CRATE_DIR;RUST_TARGET" "")
  if(NOT arg_CRATE_DIR OR NOT EXISTS "${arg_CRATE_DIR}/Cargo.toml")
    message(FATAL_ERROR "werun: no Cargo.toml in CRATE_DIR '${arg_CRATE_DIR}'")
  endif()
  get_filename_component(crate_dir "${arg_CRATE_DIR}" ABSOLUTE)

  find_program(WERUN_CARGO cargo
    HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin"
    DOC "cargo, which builds werun's Rust core")
  if(NOT WERUN_CARGO)
    message(FATAL_ERROR "werun: cargo not found. Install Rust (https://rustup.rs), "
      "or set -DWERUN_CARGO=<path to cargo>.")
  endif()

  # A cross target's standard library comes from rustup: say so now rather
  # than in the middle of the build.
  if(arg_RUST_TARGET)
    get_filename_component(cargo_bin "${WERUN_CARGO}" DIRECTORY)
    find_program(WERUN_RUSTC rustc HINTS "${cargo_bin}" DOC "rustc, next to cargo")
    if(WERUN_RUSTC)
      execute_process(COMMAND "${WERUN_RUSTC}" --print sysroot
        OUTPUT_VARIABLE sysroot OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
      if(status EQUAL 0 AND NOT EXISTS "${sysroot}/lib/rustlib/${arg_RUST_TARGET}/lib")
        message(FATAL_ERROR "werun: this Rust toolchain (${sysroot}) has no standard "
          "library for ${arg_RUST_TARGET}; add it with: rustup target add ${arg_RUST_TARGET}")
      endif()
    endif()
  endif()

  if(NOT DEFINED WERUN_CARGO_PROFILE)
    if(CMAKE_BUILD_TYPE STREQUAL "Debug")
      set(profile dev)
    else()
      set(profile release)
    endif()
    set(WERUN_CARGO_PROFILE "${profile}" CACHE STRING
      "cargo profile of werun's Rust core: release or dev")
  endif()
  if(WERUN_CARGO_PROFILE STREQUAL "release")
    set(profile_flag --release)
    set(profile_dir release)
  elseif(WERUN_CARGO_PROFILE STREQUAL "dev")
    set(profile_flag "")
    set(profile_dir debug)
  else()
    message(FATAL_ERROR "werun: WERUN_CARGO_PROFILE is release or dev, not '${WERUN_CARGO_PROFILE}'")
  endif()

  if(DEFINED ENV{CARGO_TARGET_DIR} AND NOT "$ENV{CARGO_TARGET_DIR}" STREQUAL "")
    # Relative to the directory cargo runs in, as cargo reads it.
    get_filename_component(target_dir "$ENV{CARGO_TARGET_DIR}" ABSOLUTE BASE_DIR "${crate_dir}")
  else()
    set(target_dir "${CMAKE_BINARY_DIR}/cargo")
  endif()

  set(target_flags "")
  set(env "")
  set(out_dir "${target_dir}/${profile_dir}")
  if(arg_RUST_TARGET)
    set(target_flags --target "${arg_RUST_TARGET}")
    set(out_dir "${target_dir}/${arg_RUST_TARGET}/${profile_dir}")
    string(REPLACE "-" "_" triple_var "${arg_RUST_TARGET}")
    if(CMAKE_C_COMPILER)
      list(APPEND env "CC_${triple_var}=${CMAKE_C_COMPILER}")
    endif()
    if(CMAKE_AR)
      list(APPEND env "AR_${triple_var}=${CMAKE_AR}")
    endif()
  endif()
  if(arg_RUST_TARGET)
    set(for_target ", ${arg_RUST_TARGET}")
  else()
    set(for_target ", the host")
  endif()
  set(library "${out_dir}/${CMAKE_STATIC_LIBRARY_PREFIX}werun${CMAKE_STATIC_LIBRARY_SUFFIX}")

  add_custom_target(${name}_cargo
    COMMAND "${CMAKE_COMMAND}" -E env ${env} "CARGO_TARGET_DIR=${target_dir}"
      "${WERUN_CARGO}" rustc --lib --crate-type staticlib --no-default-features --locked
      ${profile_flag} ${target_flags}
      --manifest-path "${crate_dir}/Cargo.toml"
    WORKING_DIRECTORY "${crate_dir}"
    BYPRODUCTS "${library}"
    COMMENT "cargo: werun's Rust core (${WERUN_CARGO_PROFILE}${for_target})"
    USES_TERMINAL
    VERBATIM)

  add_library(${name} STATIC IMPORTED GLOBAL)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION "${library}")
  add_dependencies(${name} ${name}_cargo)
  if(EXISTS "${crate_dir}/include/werun.h")
    target_include_directories(${name} INTERFACE "${crate_dir}/include")
  endif()

  # What Rust's standard library needs from the system (rustc's
  # --print native-static-libs): threads, dl and libm on Linux and OHOS
  # (musl folds them into libc, where the flags are harmless); Android adds
  # liblog. Apple's frameworks come from the linker's defaults.
  if(NOT APPLE)
    set(THREADS_PREFER_PTHREAD_FLAG ON)
    find_package(Threads REQUIRED)
    target_link_libraries(${name} INTERFACE Threads::Threads ${CMAKE_DL_LIBS} m)
    if(ANDROID)
      target_link_libraries(${name} INTERFACE log)
    endif()
  endif()
endfunction()
