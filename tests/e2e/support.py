"""Helpers shared by the end-to-end tests (set-up scripts run with the server's environment)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from stdnum import luhn
from stdnum.fr import siret as siret_checker

ROOT = Path(__file__).resolve().parents[2]


def make_siret(siren_head: str, nic: str) -> str:
    """A SIRET that passes the Luhn checks of both the SIREN (9 digits) and the SIRET (14 digits)."""
    siren = siren_head + luhn.calc_check_digit(siren_head)
    body = siren + nic
    value = body + luhn.calc_check_digit(body)
    assert siret_checker.is_valid(value), value
    return value


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"`python {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def run_script(env: dict[str, str], script: str, spec: dict, timeout: float = 180) -> str:
    """Run a Python set-up snippet with the server's environment; returns its last line of output."""
    return run_cli(env, "-c", script, json.dumps(spec), timeout=timeout).strip().splitlines()[-1]
