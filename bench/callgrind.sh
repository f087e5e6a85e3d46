#!/usr/bin/env bash
# Instruction counts under `valgrind --tool=callgrind`, next to
# bench/compare.sh's wall-clock ratios: a count does not move with the other
# work on a shared machine. werun through its C ABI against WeChat's published
# algorithm written with OpenSSL and cJSON (bench/c/wxbiz_openssl.c), on the
# same 31-day payload (bench/c/werun_days.h):
#
#   decrypt+parse   werun_we_run_data_decrypt vs base64 + EVP AES-128-CBC +
#                   cJSON + watermark + 31 days into an array
#   seal JSON text  werun_open_data_encrypt vs cJSON check + RAND_bytes IV +
#                   EVP AES-128-CBC + base64, on the 31-day plaintext
#   seal 31 days    werun_get_we_run_data, a native host answering get_steps
#                   in its hook (bench/c/werun_calls.c), vs summing the raw
#                   samples per day + cJSON + RAND_bytes IV + AES + base64;
#                   and vs the same with the JSON written by snprintf, the
#                   floor of the C alternative (cJSON 1.7.15 prints each
#                   number with "%1.15g" and reads it back with sscanf)
#
# Per call: each program runs with N1 and N2 iterations; (I(N2) - I(N1)) /
# (N2 - N1) leaves out startup and one-time costs (the loader, CPU feature
# detection, lazy statics, OpenSSL's provider fetch). Every program checks its
# result against werun's once before its loop and fails the script on a
# mismatch. Instructions count user space only: werun takes each seal's IV
# from the OS (a getrandom system call, not counted), OpenSSL from its
# user-space DRBG (counted).
#
# Usage: bench/callgrind.sh [--quick]
#   --quick: N1=1, N2=11, to check that everything still runs; the figures
#   then carry rounding noise. Otherwise N1=1, N2=1001 (about a minute).
# Needs (installs nothing): cargo, gcc, pkg-config, valgrind, and the headers
# of OpenSSL and cJSON (Debian: valgrind pkg-config libssl-dev libcjson-dev).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
case ${1:-} in
  '') n1=1 n2=1001 ;;
  --quick) n1=1 n2=11 ;;
  *) echo "usage: bench/callgrind.sh [--quick]" >&2; exit 2 ;;
esac
build=$root/target/callgrind
# OpenSSL picks its code by the CPU alone, as werun's aes crate does.
unset OPENSSL_ia32cap
cd "$root"

missing=()
for tool in cargo gcc pkg-config valgrind; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
pkg-config --exists libcrypto 2>/dev/null || missing+=("libcrypto (libssl-dev)")
pkg-config --exists libcjson 2>/dev/null || missing+=("libcjson (libcjson-dev)")
if ((${#missing[@]})); then
  echo "callgrind.sh: missing ${missing[*]}" >&2
  echo "  Debian: apt-get install valgrind pkg-config libssl-dev libcjson-dev" >&2
  exit 1
fi

echo "== building (release)"
# libwerun.a as apps get it (WerunRust.cmake, cargo-c): with the crate type
# named, so that cargo applies the release profile's LTO (bench/size.sh).
cargo rustc --quiet --release --no-default-features --lib --crate-type staticlib
native_libs=$(bash scripts/lib/native-libs.sh --release)
mkdir -p "$build"
for program in werun_calls wxbiz_openssl; do
  # shellcheck disable=SC2046,SC2086
  gcc -std=c11 -O2 -Wall -Wextra -I include $(pkg-config --cflags libcjson libcrypto) \
    "$here/c/$program.c" target/release/libwerun.a $native_libs $(pkg-config --libs libcjson libcrypto) \
    -o "$build/$program"
done

# encryptedData, iv and plaintext of the 31-day fixture, sealed by OpenSSL and
# checked against werun's decrypt.
payload=$("$build/wxbiz_openssl" payload)
{ read -r data; read -r iv; read -r plaintext; } <<<"$payload"
key=tiihtNczf5v6AKRyjwEUhQ==  # bench/c/werun_days.h, bench/compare.mjs
appid=wx4f4bc4dec97d474b

# Total instructions (all threads) of one run: instructions <command...>
instructions() {
  local out=$build/callgrind.out log=$build/callgrind.log
  if ! valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$log" 2>&1; then
    echo "callgrind.sh: failed under valgrind: ${*:1:2}" >&2
    cat "$log" >&2
    exit 1
  fi
  sed -n 's/^summary: *//p' "$out"
}

# Instructions per call: per_call <command...> (the iteration count is appended).
per_call() {
  local small large
  small=$(instructions "$@" "$n1")
  large=$(instructions "$@" "$n2")
  echo $(((large - small) / (n2 - n1)))
}

echo "== counting (N = $n1 and $n2 iterations, under callgrind)"
werun_decrypt=$(per_call "$build/werun_calls" decrypt "$key" "$data" "$iv" "$appid")
other_decrypt=$(per_call "$build/wxbiz_openssl" decrypt "$key" "$data" "$iv" "$appid")
werun_seal_json=$(per_call "$build/werun_calls" seal-json "$key" "$plaintext")
other_seal_json=$(per_call "$build/wxbiz_openssl" seal-json "$key" "$plaintext")
werun_seal_days=$(per_call "$build/werun_calls" roundtrip "$key" "$appid")
other_seal_days=$(per_call "$build/wxbiz_openssl" seal-days "$key" "$appid")
printf_seal_days=$(per_call "$build/wxbiz_openssl" seal-days-printf "$key" "$appid")

ratio() {
  awk -v w="$1" -v o="$2" 'BEGIN {
    if (w <= o) printf "%.1f× fewer instructions", o / w; else printf "%.1f× more instructions", w / o }'
}
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }

echo
echo "Instructions per call (callgrind; werun vs OpenSSL $(pkg-config --modversion libcrypto) + cJSON $(pkg-config --modversion libcjson)):"
echo
echo "| measure | werun | OpenSSL + cJSON (or snprintf) | ratio |"
echo "|---|---|---|---|"
row "decrypt+parse 31 days: werun_we_run_data_decrypt vs WXBizDataCrypt" "$werun_decrypt" "$other_decrypt"
row "seal the 31-day JSON text: werun_open_data_encrypt vs cJSON check+EVP" "$werun_seal_json" "$other_seal_json"
row "seal 31 days from raw samples: C-ABI getWeRunData round trip (native host) vs cJSON+EVP" \
  "$werun_seal_days" "$other_seal_days"
row "seal 31 days from raw samples: the same round trip vs snprintf JSON+EVP" \
  "$werun_seal_days" "$printf_seal_days"

# Which AES each side runs. Valgrind's emulated CPU reports its own cpuid: the
# aes crate (werun) picks VAES-512 (avx512f+vaes), VAES-256 (vaes) or AES-NI
# (aes) for its parallel blocks (CBC decryption), else its constant-time
# software AES; OpenSSL 3.0 runs AES-NI for CBC whenever cpuid reports aes
# (it has no VAES CBC code), else vpaes (SSSE3) or its table-based C AES.
# Checked by hand under valgrind 3.19: werun built with RUSTFLAGS='--cfg
# aes_backend="soft"' took 119 000 instructions per decrypt+parse against
# 32 000 as built here; OpenSSL's check runs below.
aes_paths() {
  local features=$1 werun openssl
  case " $features " in
    *" avx512f=1 "*" vaes=1 "* | *" vaes=1 "*" avx512f=1 "*) werun="VAES-512 (CBC decrypt), AES-NI" ;;
    *" vaes=1 "*) werun="VAES-256 (CBC decrypt), AES-NI" ;;
    *" aes=1 "*) werun="AES-NI" ;;
    *) werun="software (fixslice)" ;;
  esac
  case " $features " in
    *" aes=1 "*) openssl="AES-NI" ;;
    *) openssl="vpaes or table-based (no AES-NI)" ;;
  esac
  echo "werun: $werun; OpenSSL: $openssl"
}
under_valgrind=$(valgrind -q --tool=none "$build/werun_calls" cpuid)
# OpenSSL's path, checked: masking AES-NI (bit 57 of OPENSSL_ia32cap) must
# cost it instructions, unless it was not using AES-NI anyway.
other_decrypt_no_aesni=$(OPENSSL_ia32cap='~0x200000000000000' \
  per_call "$build/wxbiz_openssl" decrypt "$key" "$data" "$iv" "$appid")
native=$("$build/werun_calls" cpuid)
echo
echo "AES under valgrind (cpuid: $under_valgrind): $(aes_paths "$under_valgrind")"
echo "AES natively, for bench/compare.sh (cpuid: $native): $(aes_paths "$native")"
echo "OpenSSL with AES-NI masked (OPENSSL_ia32cap=~0x200000000000000) under valgrind: decrypt+parse" \
  "$other_decrypt_no_aesni instructions a call, $((other_decrypt_no_aesni - other_decrypt)) more than above"
