#!/usr/bin/env python3
"""Fails when a tracked file names a path outside the repository.

A clone must build and pass on its own, so no tracked file may reach for something
in a folder beside the repository or at a path of one particular machine (a home or
work directory). Run by `make check` and `make test`:

    .ci/check_paths.py            check the repository (runs the self-test first)
    .ci/check_paths.py --self-test

What counts as outside:
- a run of `..` components that climbs above the repository root when resolved from
  the directory of the file that holds it (`../migrations` in `app/build.rs` stays
  inside; `../NAME` in the top-level Makefile does not). A `..` that follows another
  path (`/usr/lib/../x`, `$(dirname "$0")/..`) is relative to that path, not to the
  file, and is left alone.
- `cd ..` in a file at the top level (a script there runs from the root).
- an absolute path under a home or work directory of the machine that builds:
  `home/NAME`, `Users/NAME`, and `root`, `work` or `mnt` at the top of the file system
  (the lists below). The home of a service account
  on the hosts Owlery manages (`/home/mastodon`, where Mastodon lives) is a path on those
  hosts, named by generated configuration and runbooks, and is not one of them.

A line may opt out with `path-check: allow` (for a test's hostile input, say); the
self-test proves that every rule above fails on a planted example, so the check cannot
pass by accident.
"""
import os
import re
import subprocess
import sys
import tempfile

SKIP_SUFFIXES = (".lock", "package-lock.json", ".png", ".jpg", ".ico", ".wasm", ".woff2")
ALLOW = "path-check: allow"
# A run of `..` components not glued to a preceding path component or word.
DOTS = re.compile(r"(?<![A-Za-z0-9_.\-/}\)])((?:\.\./)*\.\.)(?=/|$|[^A-Za-z0-9_.\-])")
CD_UP = re.compile(r"\bcd\s+\.\.(?:/|\s|$|\))")
# Top-level directories whose subdirectories are people's homes, and those that are a
# machine's own (spelled without their slash, so that this file names none of them).
HOME_PARENTS = ["home", "Users"]
MACHINE_DIRS = ["root", "work", "mnt"]
ABSOLUTE = re.compile(
    r"(?<![A-Za-z0-9_.\-~$}])(/(?:%s)/[A-Za-z0-9_.\-]+|/(?:%s))(?=/|\b)"
    % ("|".join(HOME_PARENTS), "|".join(MACHINE_DIRS))
)
# Accounts whose homes are on the managed hosts, not on the machine that builds.
MANAGED_HOMES = {"/home/mastodon"}


def problems_in(path, text):
    """Yields (line number, message) for each reference outside the repository."""
    depth = len([p for p in os.path.dirname(path).split("/") if p])
    for number, line in enumerate(text.splitlines(), 1):
        if ALLOW in line:
            continue
        for m in DOTS.finditer(line):
            ups = m.group(1).count("..")
            if ups > depth:
                yield number, f"`{m.group(1)}` climbs {ups} level(s) from a file {depth} deep"
        if depth == 0 and CD_UP.search(line):
            yield number, "`cd ..` leaves the repository from a top-level script"
        for m in ABSOLUTE.finditer(line):
            if m.group(1) in MANAGED_HOMES:
                continue
            yield number, f"`{m.group(1)}` is a path on one machine"


def tracked_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True, capture_output=True)
    return [p for p in out.stdout.decode().split("\0") if p]


def check(root):
    found = []
    for path in tracked_files(root):
        if path.endswith(SKIP_SUFFIXES):
            continue
        full = os.path.join(root, path)
        if not os.path.isfile(full) or os.path.islink(full):
            continue
        with open(full, "rb") as f:
            data = f.read()
        if b"\0" in data:
            continue
        text = data.decode("utf-8", errors="replace")
        found.extend(f"{path}:{n}: {msg}" for n, msg in problems_in(path, text))
    return found


UP = ".." + "/"  # spelled in two pieces, so that this file names no outside path
PLANTED = {
    "Makefile": f"TESTBED ?= $(abspath {UP}beside/testbed/testbed.sh)\n",
    "README.md": f"Start the hosts with `{UP}beside/testbed/testbed.sh up`.\n",
    "docs/notes.md": f"See {UP * 2}toolchain.md for the recipes.\n",
    "server/tests/a.rs": f'let p = "{UP * 3}elsewhere/key";\n',
    "bench": "T=$(cd .. && pwd)/beside/testbed.sh\n",
    "app/src/b.rs": f"//! run /{MACHINE_DIRS[1]}/beside/testbed/testbed.sh up first\n",
    "scripts/c.sh": f"cp /{HOME_PARENTS[0]}/alice/key .\n",
    "scripts/d.sh": f"source /{MACHINE_DIRS[0]}/env\n",
}
CLEAN = {
    "app/build.rs": 'println!("cargo:rerun-if-changed=../migrations");\n',
    "app/src/x/y/tests.rs": f'include_str!("{UP * 4}docs/UNITS.md");\n',
    "end2end/playwright.config.ts": "command: `../target/release/owlery serve`,\n",
    "app/src/z.rs": 'let hostile = "/usr/lib/../x"; let up = "$(dirname \\"$0\\")/..";\n',
    ".ci/run": 'cd "$(dirname "$0")/.."\nexport PATH="$HOME/.cargo/bin:$PATH"\n',
    "docs/allowed.md": "An example: ../../x (path-check: allow)\n",
    "docs/web.md": "served at /var/lib/owlery and /srv/www; urls like https://a.example/work\n",
    "app/src/units.rs": 'WorkingDirectory=/home/mastodon/live\n',
}


def self_test():
    """Plants each kind of outside reference in a scratch repository: each must be found,
    and the clean examples must not be."""
    with tempfile.TemporaryDirectory() as root:
        subprocess.run(["git", "init", "-q", root], check=True)
        for files in (PLANTED, CLEAN):
            for path, text in files.items():
                os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
                with open(os.path.join(root, path), "w") as f:
                    f.write(text)
        subprocess.run(["git", "-C", root, "add", "-A"], check=True)
        found = check(root)
        flagged = {line.split(":", 1)[0] for line in found}
        missed = sorted(set(PLANTED) - flagged)
        wrong = sorted(flagged & set(CLEAN))
        if missed or wrong:
            print(f"check_paths self-test FAILED: missed {missed}, flagged clean {wrong}", file=sys.stderr)
            for line in found:
                print(f"  {line}", file=sys.stderr)
            return False
    return True


def main():
    if not self_test():
        return 1
    if sys.argv[1:] == ["--self-test"]:
        print("check_paths: self-test passed (every planted outside path was found)")
        return 0
    root = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True, text=True
    ).stdout.strip()
    found = check(root)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"check_paths: {len(found)} reference(s) to paths outside the repository", file=sys.stderr)
        return 1
    print("check_paths: no tracked file names a path outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
