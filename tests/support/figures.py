"""Figures the fault suites report: printed when measured, and repeated at the end of the run
(``tests/faults/conftest.py`` adds them to pytest's terminal summary)."""
from __future__ import annotations

FIGURES: list[str] = []


def _shown(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def report(scenario: str, **figures) -> str:
    """Print ``FAULT <scenario> key=value ...`` and keep it for the summary."""
    line = " ".join([f"FAULT {scenario}", *(f"{k}={_shown(v)}" for k, v in figures.items())])
    print(line, flush=True)
    FIGURES.append(line)
    return line
