#!/usr/bin/env python3
"""Checks that the README's tour is the code between the `// [tour]` markers of an example."""
import sys


def tour(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    marks = [i for i, l in enumerate(lines) if l.strip() == "// [tour]"]
    if len(marks) != 2:
        sys.exit(f"{path}: expected two '// [tour]' marker lines, found {len(marks)}")
    return "\n".join(lines[marks[0] + 1 : marks[1]])


readme, example = sys.argv[1], sys.argv[2]
snippet = tour(example)
if snippet not in open(readme, encoding="utf-8").read():
    sys.exit(f"{readme} does not quote the tour of {example} verbatim; copy lines between the markers")
print("README tour matches", example)
