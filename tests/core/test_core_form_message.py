"""The request to correct the marked fields goes once every marked field is fixed."""

from __future__ import annotations

from kiosk.visit.session import Step

from .test_core_session import fill, make, reach, store  # noqa: F401  (fixtures)


def test_the_correction_request_goes_when_the_last_field_is_fixed(make) -> None:  # noqa: F811
    s, clock, _ = make()
    reach(s, clock, Step.FORM)
    assert s.submit_form()  # nothing filled: refused, fields marked
    assert s.view().message is not None and s.view().message.zh == "请按提示修改标红的内容"
    marked = [f.key for f in s.view().fields if f.error is not None]
    fill(s)
    assert s.step == Step.FORM and not any(f.error for f in s.view().fields), marked
    assert s.view().message is None
