"""This process's memory as Linux tells it (``/proc/self/status``), for figures: the standard library only, so
that a process being measured (an import's child, a benchmark's baseline) loads nothing else for it."""
from __future__ import annotations


def status_mib(field: str) -> float | None:
    """``field`` of /proc/self/status in MiB (``VmHWM``: the peak resident size, ``VmRSS``: the resident size now);
    None where /proc does not tell."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
