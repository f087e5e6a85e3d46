"""werun against third-party decryptors of WeChat open data: wechatpy (PyPI)
and node-easywechat (npm), each through its own public API, werun through
its CLI. Run by tests/interop/run.sh, which installs the pinned peers.

Three parts, each check counted:
  1. what `werun seal` seals opens unchanged in `werun decrypt` and in each
     peer, field by field against an independent model of the 31-day window:
     every UTC offset werun allows, the window's edges, empty samples, the
     step maximum, random samples, appids with unusual characters;
  2. what each peer seals opens in `werun decrypt`, byte for byte;
  3. each failure class gets werun's specific exit code and message, while
     what each peer says is recorded and printed.

Usage: python interop.py WERUN_BINARY
  INTEROP_SEED=N replays a run (each run prints its seed).
Ends with "checks: N passed, M failed"; exits 1 if any check failed.
"""

import base64
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import time

import wechatpy_peer

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_PEER = os.path.join(HERE, "easywechat_peer.cjs")

# werun's limits (src/core/step_window.rs, src/core/context.rs,
# src/open_data/mod.rs): the suite checks that werun refuses just past each,
# so that a widened range shows here as untested.
WINDOW_DAYS = 31
DAY = 86_400
MAX_DAY_TOTAL = 1_000_000
MIN_UTC_OFFSET, MAX_UTC_OFFSET = -720, 840
MAX_APPID_LEN = 256
APPID = "wx4f4bc4dec97d474b"

# Exit codes of `werun decrypt` and `werun seal` (src/cli/payload.rs,
# `werun decrypt --help`).
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_DECRYPT, EXIT_WATERMARK, EXIT_NOT_WE_RUN_DATA = 2, 3, 4, 5, 6

# Appids werun's rule allows (not empty, at most 256 bytes: check_appid)
# that a naive implementation could mangle on the way: JSON escapes, control
# characters, multi-byte UTF-8 up to the byte limit, look-alikes of JSON
# values, of flags and of base64.
UNUSUAL_APPIDS = [
    "x",
    "a" * MAX_APPID_LEN,
    "é" * (MAX_APPID_LEN // 2),
    "微" * (MAX_APPID_LEN // 3) + "x",
    "🏃" * (MAX_APPID_LEN // 4),
    "🏃\u200d♂️",
    'wx"quoted"',
    "wx\\back\\slash\\",
    "wx/slash",
    "</script><!--",
    "\x01\x02\x1f",
    "tab\there",
    "new\nline\r\n",
    "\x7f",
    " spaces around ",
    "\u2028\u2029",
    "\ufeffbom",
    "e\u0301",
    "\uffff\U0010ffff",
    '{"appid":1}',
    "null",
    "0",
    "-leading-dash",
    "--appid",
    "+/=",
    "wx%2B%2F%3D",
    "'; DROP TABLE t; --",
]


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.shown = 0

    def check(self, name, problem):
        """Counts a check: `problem` is None when it passed, else what went wrong."""
        if problem is None:
            self.passed += 1
            return True
        self.failed += 1
        if self.shown < 40:
            print(f"FAILED: {name}: {problem}")
            self.shown += 1
        return False


tally = Tally()


def werun(binary, args, stdin=None):
    return subprocess.run(
        [binary, *args],
        input=None if stdin is None else stdin.encode(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )


def text(raw):
    return raw.decode("utf-8", "replace")


def seal(binary, case):
    """`werun seal` on the case: {"encryptedData", "iv"}."""
    out = werun(
        binary,
        [
            "seal",
            f"--session-key={case['key']}",
            f"--appid={case['appid']}",
            f"--now={case['now']}",
            f"--utc-offset-minutes={case['offset']}",
        ],
        json.dumps(case["samples"]),
    )
    if out.returncode != 0:
        raise RuntimeError(f"werun seal failed on {case['name']}: {text(out.stderr)}")
    return json.loads(out.stdout)


def decrypt(binary, key, sealed, appid, data=None, extra=()):
    """`werun decrypt`: (exit code, stdout less its final newline, stderr)."""
    out = werun(
        binary,
        [
            "decrypt",
            f"--session-key={key}",
            f"--iv={sealed['iv']}",
            f"--appid={appid}",
            f"--data={sealed['encryptedData'] if data is None else data}",
            *extra,
        ],
    )
    stdout = text(out.stdout)
    if stdout.endswith("\n"):
        stdout = stdout[:-1]
    return out.returncode, stdout, text(out.stderr).strip()


def node_peer(requests):
    """Runs the node-easywechat adapter once on all `requests`."""
    out = subprocess.run(
        ["node", NODE_PEER],
        input=json.dumps(requests).encode(),
        stdout=subprocess.PIPE,
        check=True,
    )
    return json.loads(out.stdout)


def wechatpy_outcome(session_key, iv, data, appid):
    try:
        return {"ok": True, "value": wechatpy_peer.decrypt(session_key, iv, data, appid)}
    except Exception as error:  # what the peer raises is what is recorded
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def difference(expected, got, path="$"):
    """The first place `got` differs from `expected`, types included (True
    is not 1, 1.0 is not 1), or None."""
    if type(expected) is not type(got):
        return f"{path}: expected {expected!r}, got {got!r}"
    if isinstance(expected, dict):
        if expected.keys() != got.keys():
            return f"{path}: expected keys {sorted(expected)}, got {sorted(got)}"
        for key in expected:
            found = difference(expected[key], got[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(got):
            return f"{path}: expected {len(expected)} entries, got {len(got)}"
        for index, (a, b) in enumerate(zip(expected, got)):
            found = difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if expected == got else f"{path}: expected {expected!r}, got {got!r}"


# -- The model: what a WeRun payload must hold, written from WeChat's format,
# independently of werun: the samples summed per local day into 31 days
# ending on the day of `now`, each at local midnight.


def days_of(now, offset):
    """(first day, today, offset in seconds), days counted from the epoch in local time."""
    shift = offset * 60
    today = (now + shift) // DAY
    return today - (WINDOW_DAYS - 1), today, shift


def midnight(day, shift):
    return day * DAY - shift


def expected_payload(case):
    first, _, shift = days_of(case["now"], case["offset"])
    totals = [0] * WINDOW_DAYS
    for sample in case["samples"]:
        slot = (sample["timestamp"] + shift) // DAY - first
        if 0 <= slot < WINDOW_DAYS:
            totals[slot] += sample["step"]
    return {
        "stepInfoList": [
            {"timestamp": midnight(first + slot, shift), "step": totals[slot]} for slot in range(WINDOW_DAYS)
        ],
        "watermark": {"timestamp": case["now"], "appid": case["appid"]},
    }


# -- The cases.


class Samples:
    """Step samples that keep every local day (inside the window or not)
    within werun's plausible total, which werun checks for every sample."""

    def __init__(self, rng, offset):
        self.rng = rng
        self.shift = offset * 60
        self.totals = {}
        self.list = []

    def add(self, timestamp, step=None):
        if timestamp < 0:
            return
        day = (timestamp + self.shift) // DAY
        room = MAX_DAY_TOTAL - self.totals.get(day, 0)
        step = min(self.rng.randint(0, 99_999) if step is None else step, room)
        self.totals[day] = self.totals.get(day, 0) + step
        self.list.append({"timestamp": timestamp, "step": step})


def random_key(rng):
    return base64.b64encode(rng.randbytes(16)).decode()


def make_case(rng, name, offset, now=None, appid=APPID, fill=None):
    now = rng.randint(1_500_000_000, 2_000_000_000) if now is None else now
    samples = Samples(rng, offset)
    if fill:
        fill(samples, now, offset)
    return {
        "name": name,
        "key": random_key(rng),
        "offset": offset,
        "now": now,
        "appid": appid,
        "samples": samples.list,
    }


def window_edges(samples, now, offset):
    """Samples on both sides of each edge of the window: the first day's
    midnight and last second, yesterday's last second, today's midnight,
    now, today's last second (after now), and tomorrow's midnight; plus one
    just before the window."""
    first, today, shift = days_of(now, offset)
    for timestamp in (
        midnight(first, shift) - 1,
        midnight(first, shift),
        midnight(first + 1, shift) - 1,
        midnight(today, shift) - 1,
        midnight(today, shift),
        now,
        midnight(today + 1, shift) - 1,
        midnight(today + 1, shift),
    ):
        samples.add(timestamp)


def random_samples(samples, now, offset):
    """Up to 400 samples anywhere from 3 days before the window to 2 after it."""
    first, today, shift = days_of(now, offset)
    start, end = midnight(first - 3, shift), midnight(today + 3, shift) - 1
    for _ in range(samples.rng.randint(0, 400)):
        samples.add(samples.rng.randint(start, end))


def every_day_at_the_maximum(samples, now, offset):
    """Each day of the window, and one on each side, at exactly 1 000 000,
    from one to three samples."""
    first, today, shift = days_of(now, offset)
    for day in range(first - 1, today + 2):
        parts = samples.rng.randint(1, 3)
        cuts = sorted(samples.rng.randint(0, MAX_DAY_TOTAL) for _ in range(parts - 1))
        for low, high in zip([0, *cuts], [*cuts, MAX_DAY_TOTAL]):
            samples.add(midnight(day, shift) + samples.rng.randint(0, DAY - 1), high - low)


def only_outside(samples, now, offset):
    first, today, shift = days_of(now, offset)
    samples.add(midnight(first, shift) - 1, 500)
    samples.add(midnight(today + 1, shift), 500)


def cases(rng):
    found = []
    # Every offset werun allows, each with samples on the window's edges.
    for offset in range(MIN_UTC_OFFSET, MAX_UTC_OFFSET + 1):
        found.append(make_case(rng, f"offset {offset}", offset, fill=window_edges))
    # `now` on a day's first and last second.
    for offset in (MIN_UTC_OFFSET, -1, 0, 1, 480, MAX_UTC_OFFSET):
        _, today, shift = days_of(rng.randint(1_500_000_000, 2_000_000_000), offset)
        for now in (midnight(today, shift), midnight(today + 1, shift) - 1):
            found.append(make_case(rng, f"now {now} at offset {offset}", offset, now, fill=window_edges))
    # Far from now: past 2038, 2100, and 2^33 seconds.
    for now in (2**31, 4_102_444_800, 2**33):
        found.append(make_case(rng, f"now {now}", 480, now, fill=random_samples))
    for offset in (MIN_UTC_OFFSET, 0, 480, MAX_UTC_OFFSET):
        found.append(make_case(rng, f"empty samples at offset {offset}", offset))
        found.append(
            make_case(rng, f"samples only outside the window at offset {offset}", offset, fill=only_outside)
        )
    for offset in (MIN_UTC_OFFSET, 480, MAX_UTC_OFFSET):
        found.append(
            make_case(
                rng, f"every day at the maximum at offset {offset}", offset, fill=every_day_at_the_maximum
            )
        )
    found.append(
        make_case(
            rng,
            "one sample of the maximum today",
            480,
            fill=lambda samples, now, _: samples.add(now, MAX_DAY_TOTAL),
        )
    )
    for index in range(200):
        offset = rng.randint(MIN_UTC_OFFSET, MAX_UTC_OFFSET)
        found.append(make_case(rng, f"random {index} at offset {offset}", offset, fill=random_samples))
    for appid in UNUSUAL_APPIDS:
        found.append(make_case(rng, f"appid {appid!r}", 480, appid=appid, fill=random_samples))
    return found


# -- Part 1: what werun seals opens unchanged in werun and in each peer.


def seal_and_open(binary, case):
    """`werun seal` on the case, then `werun decrypt` on what it printed."""
    sealed = seal(binary, case)
    return sealed, decrypt(binary, case["key"], sealed, case["appid"])


def werun_seals(binary, rng, node_version):
    all_cases = cases(rng)
    # werun's runs, one process each, on every core; the peers' after.
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        runs = list(pool.map(lambda case: seal_and_open(binary, case), all_cases))
    sealed_cases = []
    requests = []
    for case, (sealed, (status, stdout, stderr)) in zip(all_cases, runs):
        expected = expected_payload(case)
        sealed_cases.append((case, sealed, expected))
        tally.check(
            f"{case['name']}: werun decrypt",
            difference(expected, json.loads(stdout)) if status == 0 else f"exit {status}: {stderr}",
        )
        outcome = wechatpy_outcome(case["key"], sealed["iv"], sealed["encryptedData"], case["appid"])
        tally.check(
            f"{case['name']}: wechatpy",
            difference(expected, outcome["value"]) if outcome["ok"] else outcome["error"],
        )
        requests.append(
            {
                "op": "decrypt",
                "sessionKey": case["key"],
                "iv": sealed["iv"],
                "encryptedData": sealed["encryptedData"],
                "appid": case["appid"],
            }
        )
    for (case, _, expected), outcome in zip(sealed_cases, node_peer(requests)):
        tally.check(
            f"{case['name']}: node-easywechat",
            difference(expected, outcome["value"]) if outcome["ok"] else outcome["error"],
        )
    print(
        f"{len(all_cases)} payloads sealed by werun ({MAX_UTC_OFFSET - MIN_UTC_OFFSET + 1} UTC offsets, "
        f"{len(UNUSUAL_APPIDS)} unusual appids), each opened by werun decrypt, "
        f"wechatpy {wechatpy_peer.VERSION} and node-easywechat {node_version}"
    )
    return sealed_cases


# -- Part 2: what each peer seals opens in werun.


def plaintexts(rng, sealed_cases):
    """Open data as any backend or WeChat could have serialised it: WeRun
    payloads in werun's compact form, in Python's default form (spaces,
    \\u escapes) and with the watermark first; a phone number; and 32
    consecutive lengths, so that every length of padding occurs."""
    found = []
    for case, _, expected in sealed_cases:
        if case["name"].startswith(("appid ", "every day", "empty")):
            found.append((case, json.dumps(expected, ensure_ascii=False, separators=(",", ":"))))
    for case, _, expected in rng.sample(sealed_cases, 20):
        found.append((case, json.dumps(expected)))
        reordered = {"watermark": expected["watermark"], "stepInfoList": expected["stepInfoList"]}
        found.append((case, json.dumps(reordered, ensure_ascii=False, indent=2)))
    phone = {
        "phoneNumber": "+86 138 0000 0000",
        "purePhoneNumber": "13800000000",
        "countryCode": "86",
        "watermark": {"timestamp": 1_795_924_800, "appid": APPID},
    }
    found.append(({"key": random_key(rng), "appid": APPID}, json.dumps(phone)))
    for length in range(32):
        appid = "wx" + "0" * length
        payload = {"stepInfoList": [], "watermark": {"timestamp": 1_795_924_800, "appid": appid}}
        found.append(({"key": random_key(rng), "appid": appid}, json.dumps(payload, separators=(",", ":"))))
    return found


def table_steps(table):
    """The steps column and the total of `werun decrypt --table`'s output."""
    lines = table.split("\n")
    end = next(index for index, line in enumerate(lines) if line.startswith("total "))
    number = lambda column: int(column.replace(",", ""))
    return [number(line.split()[1]) for line in lines[1:end]], number(lines[end].split()[1])


def werun_opens(binary, name, key, sealed, appid, plaintext):
    """`werun decrypt` prints `plaintext` byte for byte; for a WeRun
    payload, `--table` shows its days and their total too (read from
    whatever form the peer serialised)."""
    status, stdout, stderr = decrypt(binary, key, sealed, appid)
    tally.check(
        f"{name}: werun decrypt",
        (
            (None if stdout == plaintext else f"printed {stdout!r}")
            if status == 0
            else f"exit {status}: {stderr}"
        ),
    )
    days = json.loads(plaintext).get("stepInfoList")
    if days is None:
        return
    status, stdout, stderr = decrypt(binary, key, sealed, appid, extra=["--table"])
    if status != 0:
        tally.check(f"{name}: werun decrypt --table", f"exit {status}: {stderr}")
        return
    steps = [day["step"] for day in days]
    tally.check(
        f"{name}: werun decrypt --table",
        None if table_steps(stdout) == (steps, sum(steps)) else f"expected {steps}, showed:\n{stdout}",
    )


def peers_seal(binary, rng, sealed_cases, node_version):
    texts = plaintexts(rng, sealed_cases)
    # wechatpy: padding up to 16 bytes is AES-128's PKCS#7 and must open in
    # werun byte for byte; 17 to 32 (its 32-byte padder) is refused by
    # werun as by node-easywechat, werun naming the padding's length rather
    # than blaming the key, and opened by wechatpy itself.
    over_a_block = []
    opened = refused = 0
    paddings = set()
    for case, plaintext in texts:
        name = f"wechatpy sealed {plaintext[:40]!r}… ({len(plaintext.encode())} bytes)"
        data, iv = wechatpy_peer.seal(case["key"], plaintext.encode())
        sealed = {"encryptedData": data, "iv": iv}
        padding = wechatpy_peer.padding_of(plaintext.encode())
        paddings.add(padding)
        if padding <= 16:
            opened += 1
            werun_opens(binary, name, case["key"], sealed, case["appid"], plaintext)
        else:
            refused += 1
            status, stdout, stderr = decrypt(binary, case["key"], sealed, case["appid"])
            over_a_block.append((case, sealed, stderr))
            named = f"padding after decrypting is {padding} bytes"
            tally.check(
                f"{name} with {padding} bytes of padding: werun decrypt refuses it, naming the padding",
                None
                if status == EXIT_DECRYPT and named in stderr
                else f"exit {status}: {stdout or stderr}",
            )
            own = wechatpy_outcome(case["key"], iv, data, case["appid"])
            tally.check(
                f"{name} with {padding} bytes of padding: wechatpy opens its own",
                difference(json.loads(plaintext), own["value"]) if own["ok"] else own["error"],
            )
    # node-easywechat, and what it says of wechatpy's 32-byte padding.
    requests = [
        {"op": "seal", "sessionKey": case["key"], "plaintext": plaintext} for case, plaintext in texts
    ]
    requests += [
        {
            "op": "decrypt",
            "sessionKey": case["key"],
            "iv": sealed["iv"],
            "encryptedData": sealed["encryptedData"],
            "appid": case["appid"],
        }
        for case, sealed, _ in over_a_block
    ]
    results = node_peer(requests)
    for (case, plaintext), result in zip(texts, results):
        name = f"node-easywechat sealed {plaintext[:40]!r}… ({len(plaintext.encode())} bytes)"
        if not tally.check(f"{name}: sealed", None if result["ok"] else result["error"]):
            continue
        werun_opens(binary, name, case["key"], result, case["appid"], plaintext)
    node_said = set()
    for (case, _, _), result in zip(over_a_block, results[len(texts) :]):
        tally.check(
            "node-easywechat refuses wechatpy's padding over 16 bytes",
            None if not result["ok"] else "it opened it",
        )
        node_said.add(result.get("error"))
    werun_said = sorted({stderr for _, _, stderr in over_a_block})
    print(
        f"{len(texts)} plaintexts sealed by wechatpy {wechatpy_peer.VERSION} "
        f"(WeChatCipher + PKCS7Encoder) and by node-easywechat {node_version} (AES.encrypt), "
        f"each opened by werun decrypt; wechatpy's 32-byte padding: {opened} payloads with "
        f"1-16 bytes opened, {refused} with 17-32 refused"
    )
    print(f"  werun on 17-32 bytes of padding: {werun_said[0] if werun_said else '-'}")
    print(f"  node-easywechat on them: {sorted(node_said)[0] if node_said else '-'}")
    tally.check(
        "wechatpy's padding took every length from 1 to 32",
        None if paddings == set(range(1, 33)) else f"only {sorted(paddings)}",
    )


# -- Part 3: each failure class, werun's message against the peers'.


def failure_classes(binary, rng, node_version):
    # A payload whose base64 has a '+', so that URL-decoding changes it.
    for _ in range(50):
        case = make_case(rng, "failure base", 480, fill=random_samples)
        sealed = seal(binary, case)
        if "+" in sealed["encryptedData"]:
            break
    data = sealed["encryptedData"]
    tally.check("a payload with a '+' to URL-decode", None if "+" in data else "none in 50 seals")
    length = len(data)
    quads = [cut for cut in range(4, length, 4) if cut % 64]
    # (name, data, key, appid, werun's exit code, the words werun's message
    # must hold, or None where werun has no cause to name beyond its class).
    damaged = [
        (
            "URL-decoded: each '+' became ' '",
            data.replace("+", " "),
            case["key"],
            APPID,
            EXIT_BAD_INPUT,
            "URL-decoded",
        ),
    ]
    for _ in range(8):
        damaged.append(("wrong session key", data, random_key(rng), APPID, EXIT_DECRYPT, "session key"))
    damaged.append(
        ("another app's payload", data, case["key"], "wx0000000000000000", EXIT_WATERMARK, "another app")
    )
    for cut in rng.sample(quads, 4):
        damaged.append(
            (
                "truncated to whole base64 quads, not whole AES blocks",
                data[:cut],
                case["key"],
                APPID,
                EXIT_BAD_INPUT,
                "truncated",
            )
        )
    # A cut inside a base64 quad, and one on an AES block boundary (64
    # base64 characters are 48 bytes, three blocks), are named truncated too.
    for cut in rng.sample([c for c in range(1, length) if c % 4], 3):
        damaged.append(
            ("truncated inside a base64 quad", data[:cut], case["key"], APPID, EXIT_BAD_INPUT, "truncated")
        )
    for cut in [c for c in range(64, length, 64)][-2:]:
        damaged.append(
            ("truncated to whole AES blocks", data[:cut], case["key"], APPID, EXIT_DECRYPT, "truncated")
        )

    requests = [
        {"op": "decrypt", "sessionKey": key, "iv": sealed["iv"], "encryptedData": bad_data, "appid": appid}
        for _, bad_data, key, appid, _, _ in damaged
    ]
    node_results = node_peer(requests)
    said = {}
    for (name, bad_data, key, appid, exit_code, words), node in zip(damaged, node_results):
        status, stdout, stderr = decrypt(binary, key, sealed, appid, data=bad_data)
        problem = None
        if status != exit_code:
            problem = f"exit {status}, expected {exit_code}: {stderr or stdout}"
        elif words and words not in stderr:
            problem = f"the message does not say {words!r}: {stderr}"
        tally.check(f"{name}: werun decrypt", problem)
        python = wechatpy_outcome(key, sealed["iv"], bad_data, appid)
        tally.check(f"{name}: wechatpy refuses it", None if not python["ok"] else "it opened it")
        if name == "another app's payload":
            # node-easywechat checks no watermark: it hands over the other
            # app's data, which is what docs/INTEROP.md says.
            tally.check(
                f"{name}: node-easywechat opens it without a watermark check",
                None if node["ok"] and node["value"]["watermark"]["appid"] == APPID else node.get("error"),
            )
            node_text = (
                f"opened it (no watermark check): watermark.appid {node['value']['watermark']['appid']!r}"
                if node["ok"]
                else node["error"]
            )
        else:
            tally.check(f"{name}: node-easywechat refuses it", None if not node["ok"] else "it opened it")
            node_text = node["error"] if not node["ok"] else "opened it"
        entry = said.setdefault(name, ({}, {}, {}))
        entry[0][f"exit {status}: {stderr}"] = None
        entry[1][python.get("error", "opened it")] = None
        entry[2][node_text] = None

    print("What each says, per failure class:")
    for name, (werun_, python, node) in said.items():
        print(f"  {name}")
        for label, messages in (
            ("werun decrypt", werun_),
            (f"wechatpy {wechatpy_peer.VERSION}", python),
            (f"node-easywechat {node_version}", node),
        ):
            for message in messages:
                print(f"    {label}: {message}")


def limits_are_werun_s(binary):
    """werun refuses just past the offsets, day totals and appid lengths
    swept above."""
    over = json.dumps(
        [{"timestamp": 1_795_924_800, "step": MAX_DAY_TOTAL}, {"timestamp": 1_795_924_801, "step": 1}]
    )
    out = werun(binary, ["seal", "--session-key=tiihtNczf5v6AKRyjwEUhQ==", "--now=1795924800"], over)
    tally.check(
        f"werun seal refuses a day total of {MAX_DAY_TOTAL + 1}",
        None if out.returncode == EXIT_NOT_WE_RUN_DATA else f"exit {out.returncode}",
    )
    for offset in (MIN_UTC_OFFSET - 1, MAX_UTC_OFFSET + 1):
        out = werun(
            binary, ["seal", "--session-key=tiihtNczf5v6AKRyjwEUhQ==", f"--utc-offset-minutes={offset}"], "[]"
        )
        tally.check(
            f"werun seal refuses offset {offset}",
            None if out.returncode == EXIT_USAGE else f"exit {out.returncode}",
        )
    status, _, stderr = decrypt(
        binary,
        "tiihtNczf5v6AKRyjwEUhQ==",
        {"iv": "awrfYPZXoxOjqvljw1R3Vw==", "encryptedData": "AAAAAAAAAAAAAAAAAAAAAA=="},
        "a" * (MAX_APPID_LEN + 1),
    )
    # seal and decrypt share werun's appid rule: a usage error for both.
    tally.check(
        f"werun decrypt refuses a {MAX_APPID_LEN + 1}-byte appid",
        None if status == EXIT_USAGE and f"the limit is {MAX_APPID_LEN}" in stderr else f"exit {status}: {stderr}",
    )
    out = werun(
        binary,
        ["seal", "--session-key=tiihtNczf5v6AKRyjwEUhQ==", "--appid=" + "a" * (MAX_APPID_LEN + 1)],
        "[]",
    )
    tally.check(
        f"werun seal refuses a {MAX_APPID_LEN + 1}-byte appid",
        None
        if out.returncode == EXIT_USAGE and f"the limit is {MAX_APPID_LEN}" in out.stderr.decode()
        else f"exit {out.returncode}: {out.stderr.decode()}",
    )


def timed(part, run):
    print(f"== {part}")
    started = time.monotonic()
    result = run()
    print(f"   ({time.monotonic() - started:.1f} s)")
    return result


def main():
    binary = sys.argv[1]
    seed = int(os.environ.get("INTEROP_SEED") or random.SystemRandom().randrange(2**32))
    print(f"seed {seed} (INTEROP_SEED={seed} replays this run)")
    rng = random.Random(seed)
    node_version = node_peer([{"op": "version"}])[0]["value"]
    sealed_cases = timed(
        "what werun seals, opened by werun and each peer",
        lambda: werun_seals(binary, rng, node_version),
    )
    timed(
        "what each peer seals, opened by werun", lambda: peers_seal(binary, rng, sealed_cases, node_version)
    )
    timed(
        "each failure class: werun's message and the peers'",
        lambda: failure_classes(binary, rng, node_version),
    )
    timed("werun's limits are where the sweeps end", lambda: limits_are_werun_s(binary))
    print(f"checks: {tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
