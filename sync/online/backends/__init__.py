"""Department backends of the reference hall (``base``: the interface; the rest: the sample systems)."""

from __future__ import annotations

import time
from collections.abc import Callable

from sync.online.backends.base import (
    BadParams,
    Citizen,
    CitizenDirectory,
    Col,
    DepartmentBackend,
    DepartmentDown,
    Departments,
    NoRecord,
    Records,
)
from sync.online.backends.human_resources import SampleHumanResources
from sync.online.backends.justice import SampleJustice
from sync.online.backends.medical_insurance import SampleMedicalInsurance
from sync.online.backends.sample import SampleDirectory
from sync.online.backends.tax import SampleTax


def sample_departments(clock: Callable[[], float] = time.time, latency_s: float = 0.0) -> Departments:
    """The four sample departments (人社, 医保, 税务, 司法) over the demo's citizens."""
    backends = [
        cls(clock=clock, latency_s=latency_s)
        for cls in (SampleHumanResources, SampleMedicalInsurance, SampleTax, SampleJustice)
    ]
    return Departments(backends, SampleDirectory())


__all__ = [
    "BadParams",
    "Citizen",
    "CitizenDirectory",
    "Col",
    "DepartmentBackend",
    "DepartmentDown",
    "Departments",
    "NoRecord",
    "Records",
    "sample_departments",
]
