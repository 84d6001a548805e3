"""bench/compare with Python's json module, the way a script is written: json.load the file
(json.loads each line of a JSON Lines file), collect durations per span name, sort, rank.

Usage: python3 peer.py FILE
"""
import json
import sys


def fold(doc, by_name):
    for rs in doc.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            for sp in ss.get("spans", []):
                d = int(sp["endTimeUnixNano"]) - int(sp["startTimeUnixNano"])
                by_name.setdefault(sp["name"], []).append(d if d > 0 else 0)


def main():
    path = sys.argv[1]
    by_name = {}
    with open(path, "rb") as f:
        if path.endswith((".jsonl", ".ndjson")):
            for line in f:
                if line.strip():
                    fold(json.loads(line), by_name)
        else:
            fold(json.load(f), by_name)
    out = []
    for name in sorted(by_name):
        v = sorted(by_name[name])
        n = len(v)
        ranks = [max(1, -(-p * n // 100)) for p in (50, 95, 99)]
        out.append("\t".join([name, str(n)] + [str(v[r - 1]) for r in ranks]) + "\n")
    sys.stdout.write("".join(out))


main()
