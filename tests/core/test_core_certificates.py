"""Certificates on A4, decided without Qt: when a prints_document service is offered, with which reason it is
not, and what the citizen reads after a print job."""

from __future__ import annotations

import pytest

from kiosk.catalog import load_catalog, shipped_catalog_path
from kiosk.certificates import (
    AVAILABLE,
    COMPLETED,
    FAILED,
    NO_A4_PAPER,
    NO_PRINTER_HERE,
    NOT_PRINTED,
    NOT_PRINTED_NO_PAPER,
    NOT_PRINTED_STALLED,
    PRINTED,
    PRINTER_OUT_OF_ORDER,
    STALLED,
    Availability,
    PrintOutcome,
    certificate_availability,
    outcome_text,
    services_availability,
)
from kiosk.devices import DeviceState, DeviceStatus
from kiosk.faults import FaultCode
from kiosk.health import EFFECT_NO_CERTIFICATES, EFFECT_ONSCREEN_RECEIPTS


def a4(state: DeviceState, *faults: FaultCode) -> DeviceStatus:
    return DeviceStatus("document_printer", state, frozenset(faults))


@pytest.mark.parametrize(
    ("printer", "effects", "expected"),
    [
        (a4(DeviceState.OK), (), AVAILABLE),
        (a4(DeviceState.DEGRADED, FaultCode.TONER_LOW, FaultCode.A4_PAPER_LOW), (), AVAILABLE),
        (a4(DeviceState.DEGRADED, FaultCode.PRINT_FAILED), (), AVAILABLE),  # the last job failed; the next may not
        (a4(DeviceState.OK), (EFFECT_ONSCREEN_RECEIPTS,), AVAILABLE),  # the receipt printer's trouble, not ours
        (a4(DeviceState.FAULT, FaultCode.A4_PAPER_OUT), (), Availability(False, NO_A4_PAPER)),
        (a4(DeviceState.FAULT, FaultCode.A4_PAPER_OUT, FaultCode.DOOR_OPEN), (), Availability(False, NO_A4_PAPER)),
        (a4(DeviceState.FAULT, FaultCode.DOOR_OPEN), (), Availability(False, PRINTER_OUT_OF_ORDER)),
        (a4(DeviceState.ABSENT, FaultCode.DEVICE_OFFLINE), (), Availability(False, PRINTER_OUT_OF_ORDER)),
        (a4(DeviceState.DISABLED), (), Availability(False, NO_PRINTER_HERE)),
        # The agent's rules say so (the screen's own status is a moment behind, or lost): not offered.
        (a4(DeviceState.OK), (EFFECT_NO_CERTIFICATES,), Availability(False, PRINTER_OUT_OF_ORDER)),
        (None, (), Availability(False, PRINTER_OUT_OF_ORDER)),  # not reported yet: not known to work
    ],
)
def test_certificate_availability_follows_the_printer_and_the_effects(
    printer: DeviceStatus | None, effects: tuple[str, ...], expected: Availability
) -> None:
    assert certificate_availability(printer, effects) == expected


def test_every_reason_is_said_in_both_languages() -> None:
    for text in (NO_A4_PAPER, PRINTER_OUT_OF_ORDER, NO_PRINTER_HERE, PRINTED, NOT_PRINTED, NOT_PRINTED_NO_PAPER,
                 NOT_PRINTED_STALLED):  # fmt: skip
        assert text.zh and text.en and text.zh != text.en


def test_only_services_that_print_a_document_depend_on_the_a4_printer() -> None:
    catalog = load_catalog(shipped_catalog_path())
    printing = [s for s in catalog.services.values() if s.prints_document]
    others = [s for s in catalog.services.values() if not s.prints_document]
    assert printing and others, "the shipped catalog has both kinds of service"
    no_paper = a4(DeviceState.FAULT, FaultCode.A4_PAPER_OUT)
    assert services_availability(printing[:1], no_paper) == Availability(False, NO_A4_PAPER)
    assert services_availability(others, no_paper) == AVAILABLE
    assert services_availability([*others, printing[0]], None, ()) == Availability(False, PRINTER_OUT_OF_ORDER)


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        (PrintOutcome(1, COMPLETED, "completed"), PRINTED),
        (PrintOutcome(1, FAILED, "aborted"), NOT_PRINTED),
        (PrintOutcome(1, FAILED, "stopped", printer_faults=("toner_low",)), NOT_PRINTED),
        (PrintOutcome(1, STALLED, "no_progress"), NOT_PRINTED_STALLED),
        (PrintOutcome(1, STALLED, "printer_fault", printer_faults=("a4_paper_out",)), NOT_PRINTED_NO_PAPER),
        (PrintOutcome(1, FAILED, "printer_gone"), NOT_PRINTED),
    ],
)
def test_the_citizen_is_told_how_the_job_ended(outcome: PrintOutcome, text: object) -> None:
    assert outcome_text(outcome) == text
    assert outcome.ok == (outcome.result == COMPLETED)
