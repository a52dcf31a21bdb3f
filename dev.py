#!/usr/bin/env python3
"""Bootstrap and run: `python3 dev.py demo` or `python3 dev.py test [pytest args]`.

Creates ./.venv on first use (and again when pyproject.toml changes), installs the project with its
test extras into it, then runs the demo or `pytest -n auto` inside it. Needs only Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
COMMANDS = {
    "demo": ["-m", "harness", "demo"],
    "test": ["-m", "pytest", "-n", "auto"],
}


def ensure_environment() -> None:
    """Create the virtual environment and install the project when missing or out of date."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing the project and its test tools (first run only)", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    """Run one command inside the project's environment and return its exit status."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must explain itself on an old Python
        print(f"dev.py: Python 3.11 or newer is needed, this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [extra arguments]", file=sys.stderr)
        return 2
    ensure_environment()
    command = [str(PYTHON), *COMMANDS[argv[0]], *argv[1:]]
    if argv[0] == "test" and "no:xdist" in argv[1:]:
        command.remove("-n")  # pytest without xdist knows no -n; run serially as asked
        command.remove("auto")
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
