#!/usr/bin/env bash
# Runs werun's coverage-guided fuzz targets (cargo-fuzz, libFuzzer), each for
# a bounded time, seeded from tests/data/open-data.json. Fails on any crash
# and keeps its input in fuzz/artifacts/<target>/ (turn it into a regression
# test, then delete it).
#
# Usage: scripts/fuzz.sh [seconds per target, default 30] [target...]
# Needs: cargo-fuzz (installed here if missing, pinned), python3, a C++
# compiler (libFuzzer is built from source).
#
# The stable toolchain cannot build with -Zsanitizer, so the targets run
# without ASan (`-s none`); the oracles are each target's own assertions and
# Rust's checks (bounds, overflow, panics), with debug assertions on.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(open_data_decrypt sealed_answer step_window c_strings)

if ! command -v cargo-fuzz >/dev/null; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked --version 0.13.2
fi

echo "== seeding fuzz/corpus from tests/data/open-data.json"
python3 - <<'EOF'
import json, os, struct, time
cases = json.load(open("tests/data/open-data.json"))["cases"]
def put(target, name, data):
    os.makedirs(f"fuzz/corpus/{target}", exist_ok=True)
    with open(f"fuzz/corpus/{target}/seed-{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
for c in cases:
    fields = [c["session_key"], c["encrypted_data"], c["iv"], c["appid"]]
    put("open_data_decrypt", c["name"], "\n".join(fields))
    put("sealed_answer", c["name"], c["encrypted_data"] + "\n" + c["iv"])
    put("c_strings", "decrypt-" + c["name"], b"\x01" + "\0".join(fields).encode())
    put("c_strings", "steps-" + c["name"], b"\x02" + "\0".join(fields).encode())
put("c_strings", "context", b"\x00wx4f4bc4dec97d474b")
put("c_strings", "encrypt", b"\x03" + cases[0]["session_key"].encode() + b"\0{\"a\":1}")
put("c_strings", "login", b"\x04code\0" + cases[0]["session_key"].encode())
put("c_strings", "fail", b"\x05sensor busy")
now = int(time.time())
for name, offset, samples in [
    ("empty", 480, []),
    ("today", 480, [(now, 812)]),
    ("month", 0, [(now - d * 86400, 1000 + d) for d in range(31)]),
    ("edge", 840, [(0, 1), (now - 31 * 86400, 999999), (now + 86400, 5)]),
]:
    data = struct.pack("<qI", now, (offset + 720) % 1561)
    data += b"".join(struct.pack("<qq", t, s) for t, s in samples)
    put("step_window", name, data)
EOF

# What earlier runs found, kept as seeds (each is also a test in tests/).
for target in "${targets[@]}"; do
  if [ -d "fuzz/regressions/$target" ]; then
    mkdir -p "fuzz/corpus/$target"
    cp "fuzz/regressions/$target"/* "fuzz/corpus/$target/"
  fi
done

echo "== building the targets"
cargo fuzz build -s none

status=0
for target in "${targets[@]}"; do
  echo "== $target, ${seconds}s"
  log=$(mktemp)
  if cargo fuzz run -s none "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
    echo "fuzz: $target: $runs, $coverage, corpus $corpus inputs, no crash"
  else
    status=1
    tail -n 40 "$log"
    echo "fuzz: $target: CRASH (input saved in fuzz/artifacts/$target/)"
  fi
  rm -f "$log"
done
exit "$status"
