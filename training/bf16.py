"""Numeric precision of a run (bf16 or fp32), chosen once per run and recorded: bf16 where the hardware computes it
natively (CPUs with AMX or AVX-512 BF16, GPUs that support it), fp32 elsewhere.

On such CPUs bf16 autocast trains MiniLM 1.5x faster and a bf16 copy of the model tags 2x
faster than fp32 (bench/micro.md, README "Speed"); on other CPUs bf16 is emulated and slower.
"""

from __future__ import annotations

from pathlib import Path

import torch

from dateline.errors import DatelineError

CHOICES = ("auto", "bf16", "fp32")
CPU_BF16_FLAGS = ("amx_bf16", "avx512_bf16")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The feature flags of the first CPU (empty where /proc/cpuinfo is not available)."""
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def native_bf16(device: str, flags: set[str] | None = None) -> bool:
    """Whether `device` ("cpu" or "cuda") computes bf16 natively."""
    if device.startswith("cuda"):
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    return bool(set(CPU_BF16_FLAGS) & (cpu_flags() if flags is None else flags))


def resolve(setting: str, device: str, flags: set[str] | None = None) -> str:
    """ "auto" -> "bf16" where native, else "fp32"; "bf16"/"fp32" are taken as given."""
    if setting not in CHOICES:
        raise DatelineError(f"precision must be one of {', '.join(CHOICES)}, not {setting!r}")
    if setting != "auto":
        return setting
    return "bf16" if native_bf16(device, flags) else "fp32"


def default_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"
