#!/usr/bin/env python3
"""Install tests: tracefold used the way a client uses it.

--mode install
    `meson install --no-rebuild --destdir TMP` from the build dir; checks the installed
    tree (headers, library, tracefold.pc); builds consumer.cpp against the INSTALLED copy
    with `pkg-config --define-variable=prefix=TMP/<prefix> --cflags --libs tracefold`,
    checks from the compiler's dependency output that no header came from the source tree,
    runs it with LD_LIBRARY_PATH into TMP and checks its output.
--mode subproject
    A tiny meson project in TMP with subprojects/tracefold a symlink to the source root;
    its meson.build calls subproject('tracefold') and dependency('tracefold'), which resolves
    through meson.override_dependency. It is configured with -Dtracefold:tests=false
    -Dtracefold:bench=false, built and run, and its output checked.

Temporary directories are removed (set TRACEFOLD_KEEP_TMP=1 to keep them).
Exit codes: 0 pass, 1 fail, 77 skip (meson test reports SKIP).
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
EXPECTED_OUTPUT = 'traces=1 spans=3 total_ns=170 max_ns=100 diagnostics=0'


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def run(cmd, *, cwd=None, env=None, what=None, capture=True):
    """Runs `cmd`; raises Failure with its output when it fails; returns stdout."""
    log('$ ' + ' '.join(shlex.quote(str(c)) for c in cmd))
    start = time.monotonic()
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, universal_newlines=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)
    log(f'  ({time.monotonic() - start:.1f}s, exit {proc.returncode})')
    if proc.returncode != 0:
        out = proc.stdout or ''
        raise Failure(f'{what or cmd[0]} failed with exit {proc.returncode}:\n{out[-6000:]}')
    return proc.stdout or ''


def under(path, root):
    path = os.path.realpath(path)
    root = os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def base_env():
    env = dict(os.environ, LC_ALL='C', LANG='C')
    # The consumer must see only what we give it.
    for var in ('CPATH', 'CPLUS_INCLUDE_PATH', 'C_INCLUDE_PATH', 'LIBRARY_PATH',
                'LD_LIBRARY_PATH', 'PKG_CONFIG_PATH', 'PKG_CONFIG_LIBDIR', 'PKG_CONFIG_SYSROOT_DIR'):
        env.pop(var, None)
    return env


def build_missing_install_targets(opts):
    """`meson install --no-rebuild` needs every installed target built, but `meson test`
    builds only the selected tests' dependencies. Build (only) the missing ones."""
    targets = json.loads(run(opts.meson + ['introspect', '--targets', opts.build_root],
                             what='meson introspect --targets'))
    missing = sorted({f for t in targets if t.get('installed')
                      for f in t.get('filename', []) if not os.path.exists(f)})
    if not missing:
        return
    ninja = shutil.which('ninja') or shutil.which('ninja-build') or shutil.which('samu')
    if not ninja:
        raise Failure('installed files are not built and ninja is not found: ' + ', '.join(missing))
    targets = [os.path.relpath(m, opts.build_root) for m in missing]
    log('building installed targets that meson test did not build: ' + ' '.join(targets))
    run([ninja, '-C', opts.build_root] + targets, what='ninja (installed targets)', capture=False)


def check_install(opts, tmp):
    dest = os.path.join(tmp, 'dest')
    build_missing_install_targets(opts)
    run(opts.meson + ['install', '--no-rebuild', '--quiet', '--destdir', dest],
        cwd=opts.build_root, what='meson install')

    if not os.path.isabs(opts.prefix):
        raise Failure(f'prefix {opts.prefix!r} is not absolute')
    prefix = os.path.join(dest, opts.prefix.lstrip(os.sep))
    libdir = opts.libdir if os.path.isabs(opts.libdir) else os.path.join(opts.prefix, opts.libdir)
    libdir = os.path.join(dest, libdir.lstrip(os.sep))
    includedir = opts.includedir if os.path.isabs(opts.includedir) else os.path.join(opts.prefix, opts.includedir)
    includedir = os.path.join(dest, includedir.lstrip(os.sep))

    # The installed tree: every header of the source tree, no meson.build, the library, the .pc.
    src_inc = os.path.join(opts.source_root, 'include', 'tracefold')
    want = set()
    for root, _, files in os.walk(src_inc):
        for f in files:
            if f.endswith('.hpp'):
                want.add(os.path.relpath(os.path.join(root, f), src_inc))
    got = set()
    inst_inc = os.path.join(includedir, 'tracefold')
    for root, _, files in os.walk(inst_inc):
        for f in files:
            got.add(os.path.relpath(os.path.join(root, f), inst_inc))
    if want - got:
        raise Failure('headers not installed: ' + ', '.join(sorted(want - got)))
    if got - want:
        raise Failure('unexpected files installed under include/tracefold: ' + ', '.join(sorted(got - want)))
    unlisted = sorted(got - set(opts.public_headers))
    if unlisted:
        raise Failure('installed headers missing from public_headers in include/tracefold/meson.build '
                      '(so test/headers does not check them): ' + ', '.join(unlisted))
    gone = sorted(set(opts.public_headers) - got)
    if gone:
        raise Failure('public_headers lists headers that are not installed: ' + ', '.join(gone))
    libs = sorted(f for f in os.listdir(libdir) if f.startswith('libtracefold')) if os.path.isdir(libdir) else []
    if not libs:
        raise Failure(f'no libtracefold installed in {libdir}')
    pcdir = os.path.join(libdir, 'pkgconfig')
    pcfile = os.path.join(pcdir, 'tracefold.pc')
    if not os.path.isfile(pcfile):
        raise Failure(f'tracefold.pc not installed in {pcdir}')
    log(f'installed: {len(got)} headers, {", ".join(libs)}, {os.path.relpath(pcfile, dest)}')
    with open(pcfile) as f:
        log('--- tracefold.pc\n' + f.read().rstrip() + '\n---')

    # pkg-config, pointed at the installed .pc only, prefix redefined into TMP.
    pkgconfig = shutil.which('pkg-config') or shutil.which('pkgconf')
    if not pkgconfig:
        raise Skip('pkg-config is not installed')
    env = base_env()
    env['PKG_CONFIG_PATH'] = pcdir
    pc_args = [pkgconfig, f'--define-variable=prefix={prefix}']
    run(pc_args + ['--validate', 'tracefold'], env=env, what='pkg-config --validate') \
        if 'pkgconf' in os.path.basename(os.path.realpath(pkgconfig)) else None
    flags = run(pc_args + ['--cflags', '--libs', 'tracefold'], env=env, what='pkg-config').strip()
    log(f'pkg-config flags: {flags}')
    flags = shlex.split(flags)
    for flag in flags:
        for opt in ('-I', '-isystem', '-L'):
            if flag.startswith(opt) and len(flag) > len(opt):
                path = flag[len(opt):]
                if not under(path, tmp):
                    raise Failure(f'pkg-config flag {flag} does not point into the install tree {tmp}')
    if '-ltracefold' not in flags:
        raise Failure('pkg-config --libs does not give -ltracefold')

    # Build the consumer in TMP, against the installed copy only.
    # A copy of the source in TMP, so not even "quoted" includes can reach the source tree.
    src = os.path.join(tmp, 'consumer.cpp')
    shutil.copy(opts.consumer, src)
    exe = os.path.join(tmp, 'consumer')
    depfile = os.path.join(tmp, 'consumer.d')
    run(opts.cxx + ['-Wall', '-Wextra', '-Wpedantic', '-Werror', '-MD', '-MF', depfile,
                    src, '-o', exe] + opts.extra_flags + flags,
        cwd=tmp, env=env, what='compiling consumer.cpp against the installed tracefold')
    with open(depfile) as f:
        deps = f.read().replace('\\\n', ' ').split()
    tf_headers = [d for d in deps if '/tracefold/' in d and d.endswith('.hpp')]
    if not tf_headers:
        raise Failure('the dependency file lists no tracefold header: cannot verify where they came from')
    stray = [d for d in tf_headers if not under(d, includedir)]
    if stray:
        raise Failure('tracefold headers not taken from the installed copy:\n  ' + '\n  '.join(stray))
    log(f'consumer used {len(tf_headers)} tracefold headers, all from {os.path.relpath(includedir, tmp)}')

    env['LD_LIBRARY_PATH'] = libdir
    ldd = shutil.which('ldd')
    if ldd:
        out = run([ldd, exe], env=env, what='ldd consumer')
        line = next((l for l in out.splitlines() if 'libtracefold' in l), '')
        if '=>' not in line or not under(line.split('=>')[1].split('(')[0].strip(), libdir):
            raise Failure(f'consumer does not load libtracefold from the install tree: {line.strip()!r}')
        log('loads ' + line.strip())
    out = run([exe], env=env, what='consumer').strip()
    check_output(out)


def check_output(out):
    log(f'consumer output: {out}')
    if out != EXPECTED_OUTPUT:
        raise Failure(f'consumer output differs\n  expected: {EXPECTED_OUTPUT}\n  got:      {out}')


SUBPROJECT_MESON = """\
project('tracefold_consumer', 'cpp',
  meson_version : '>=1.0.0',
  default_options : ['cpp_std=c++20', 'warning_level=3', 'werror=true', 'buildtype=plain'])

# Configures subprojects/tracefold; its meson.override_dependency('tracefold', ...) is what
# the dependency() call below then finds (no pkg-config, no wrap file, no network).
subproject('tracefold')
tracefold_dep = dependency('tracefold')

executable('consumer', 'consumer.cpp', dependencies : tracefold_dep)
"""


def check_subproject(opts, tmp):
    ninja = shutil.which('ninja') or shutil.which('ninja-build') or shutil.which('samu')
    if not ninja:
        raise Skip('ninja is not on PATH, cannot build the subproject consumer')
    proj = os.path.join(tmp, 'consumer')
    os.makedirs(os.path.join(proj, 'subprojects'))
    os.symlink(os.path.realpath(opts.source_root), os.path.join(proj, 'subprojects', 'tracefold'))
    shutil.copy(opts.consumer, os.path.join(proj, 'consumer.cpp'))
    with open(os.path.join(proj, 'meson.build'), 'w') as f:
        f.write(SUBPROJECT_MESON)

    env = base_env()
    # Same compiler as this build; nothing resolvable outside the temp project.
    env['CXX'] = ' '.join(shlex.quote(c) for c in opts.cxx)
    env['PKG_CONFIG_PATH'] = os.path.join(tmp, 'no-pkgconfig')
    build = os.path.join(tmp, 'build')
    run(opts.meson + ['setup', build, proj, '--wrap-mode=nodownload',
                      '-Dtracefold:tests=false', '-Dtracefold:bench=false'],
        env=env, what='meson setup (consumer project with tracefold as a subproject)')
    jobs = os.environ.get('TRACEFOLD_INSTALL_TEST_JOBS', '2')
    run([ninja, '-C', build, '-j', jobs], env=env, what='building the consumer project')
    out = run([os.path.join(build, 'consumer')], env=env, what='consumer (subproject build)').strip()
    check_output(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--mode', choices=['install', 'subproject'], required=True)
    parser.add_argument('--build-root', required=True)
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--libdir', required=True)
    parser.add_argument('--includedir', required=True)
    parser.add_argument('--consumer', required=True)
    parser.add_argument('--meson', required=True, help='the meson command (shlex-split)')
    parser.add_argument('--public-headers', nargs='+', default=[],
                        help='public_headers of include/tracefold/meson.build')
    parser.add_argument('--extra-flags', default='',
                        help='flags the consumer needs to link this build (e.g. its sanitizers), space-separated')
    parser.add_argument('--cxx', required=True, nargs='+', help='the C++ compiler command')
    opts = parser.parse_args()
    opts.extra_flags = opts.extra_flags.split()
    opts.meson = shlex.split(opts.meson)
    opts.consumer = os.path.realpath(opts.consumer)

    start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix=f'tracefold-{opts.mode}-')
    try:
        if opts.mode == 'install':
            check_install(opts, tmp)
        else:
            check_subproject(opts, tmp)
    except Skip as e:
        log(f'SKIP ({opts.mode}): {e}')
        return SKIP
    except Failure as e:
        log(f'FAIL ({opts.mode}): {e}')
        return 1
    finally:
        if os.environ.get('TRACEFOLD_KEEP_TMP'):
            log(f'kept {tmp}')
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f'ok ({opts.mode}) in {time.monotonic() - start:.1f}s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
