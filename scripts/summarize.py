#!/usr/bin/env python3
"""Sums meson test logs into one line `N passed, N failed[, N skipped]`.

A doctest executable counts as its test cases (read from its `[doctest] test cases:` line);
any other meson test counts as one. A test that failed without doctest reporting a failed
case (a crash, a sanitizer abort, a timeout) counts as one more failure. Exits 1 when
anything failed or no test ran.
"""
import json
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed\s*\|\s*(\d+) skipped")


def summarize(path):
    passed = failed = skipped = 0
    failures = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            result = t.get("result", "")
            out = t.get("stdout", "") or ""
            m = DOCTEST.findall(out)
            ok = result in ("OK", "EXPECTEDFAIL")
            if m:
                _, p, fl, sk = map(int, m[-1])
                passed += p
                failed += fl
                skipped += sk
                if not ok and fl == 0:
                    failed += 1
                if not ok:
                    failures.append(t.get("name", "?"))
            elif result == "SKIP":
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
                failures.append(t.get("name", "?"))
    return passed, failed, skipped, failures


def main(paths):
    total = [0, 0, 0]
    for path in paths:
        p, f, s, failures = summarize(path)
        build = path.split("/meson-logs/")[0]
        print(f"{build}: {p} passed, {f} failed, {s} skipped" + (f" (failing: {', '.join(failures)})" if failures else ""))
        total[0] += p
        total[1] += f
        total[2] += s
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] > 0 or total[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
