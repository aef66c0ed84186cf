"""The project's own promises: lint, format, types, and one test command in README and CI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_check() -> None:
    done = tool("ruff", "check", "src", "tests", "tools", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = tool("ruff", "format", "--check", "src", "tests", "tools", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_on_src() -> None:
    done = tool("mypy", "src")
    assert done.returncode == 0, done.stdout + done.stderr


def readme_command(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {title} -->\s*```(?:sh|bash)\n(.+?)\n```", readme, re.S)
    assert match, f"README.md has no {title} block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command_exactly() -> None:
    command = readme_command("test-command")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


def test_quick_start_has_two_commands() -> None:
    assert readme_command("main-job").count("\n") == 0
    assert readme_command("test-command").count("\n") == 0
    assert shutil.which("bash")
