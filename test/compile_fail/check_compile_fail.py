#!/usr/bin/env python3
"""Paired compile test: a misuse must fail to compile with a given diagnostic, and the
same file with the misuse switched off (the control) must compile.

Usage:
  check_compile_fail.py --source FILE --expect TEXT [--expect TEXT ...]
                        [--macro NAME] [--skip REASON] -- COMPILER ARGS...

COMPILER ARGS is the whole compiler command with its flags (include dirs, -std=c++20,
-fsyntax-only, warnings). The misuse is compiled with -DNAME (default
TRACEFOLD_COMPILE_FAIL), the control without it. The test passes only if
  - the misuse fails (non-zero exit) and every TEXT occurs in its diagnostics, and
  - the control compiles (exit 0) with the very same command,
so a failure caused by a broken include path or a typo cannot pass for the intended error.
Exit codes: 0 pass, 1 fail, 77 skip (meson test reports SKIP).
"""

import argparse
import os
import subprocess
import sys
import time

SKIP = 77


def compile_once(command, source, define):
    cmd = list(command)
    if define:
        cmd.append('-D' + define)
    cmd.append(source)
    env = dict(os.environ, LC_ALL='C', LANG='C')
    env.pop('GCC_COLORS', None)
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          universal_newlines=True)
    return cmd, proc.returncode, proc.stdout, time.monotonic() - start


def show(title, cmd, rc, out, limit=80):
    print(f'--- {title}: exit {rc}')
    print('    ' + ' '.join(cmd))
    lines = out.splitlines()
    for line in lines[:limit]:
        print('    | ' + line)
    if len(lines) > limit:
        print(f'    | ... ({len(lines) - limit} more lines)')


def main():
    argv = sys.argv[1:]
    if '--' not in argv:
        print('usage: check_compile_fail.py --source FILE --expect TEXT -- COMPILER ARGS...')
        return 2
    split = argv.index('--')
    parser = argparse.ArgumentParser()
    parser.add_argument('--source', required=True)
    parser.add_argument('--expect', required=True, action='append')
    parser.add_argument('--macro', default='TRACEFOLD_COMPILE_FAIL')
    parser.add_argument('--skip', default='')
    opts = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        print('no compiler command after --')
        return 2
    if opts.skip:
        print('SKIP: ' + opts.skip)
        return SKIP

    name = os.path.basename(opts.source)
    ok = True

    cmd, rc, out, secs = compile_once(command, opts.source, opts.macro)
    if rc == 0:
        ok = False
        print(f'FAIL {name}: the misuse (-D{opts.macro}) compiled, it must not')
        show('misuse', cmd, rc, out)
    else:
        missing = [e for e in opts.expect if e not in out]
        if missing:
            ok = False
            print(f'FAIL {name}: the misuse failed, but not with the expected diagnostic')
            for e in missing:
                print(f'    expected text not found: {e!r}')
            show('misuse', cmd, rc, out)
        else:
            print(f'ok   {name}: misuse rejected with the expected diagnostic ({secs:.1f}s)')
            for line in out.splitlines():
                if any(e in line for e in opts.expect):
                    print('    | ' + line.strip()[:400])
                    break

    cmd, rc, out, secs = compile_once(command, opts.source, None)
    if rc != 0:
        ok = False
        print(f'FAIL {name}: the control (without -D{opts.macro}) must compile, it did not')
        show('control', cmd, rc, out)
    else:
        print(f'ok   {name}: control compiles ({secs:.1f}s)')
        if out.strip():
            show('control output', cmd, rc, out, limit=20)

    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
