"""A SessionView for every step of the visit, from a real Session (no Qt, no devices), to render screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import cv2

from drivers.camera.simulator.documents import render_page
from kiosk.capture.page import Page
from kiosk.catalog import CatalogRepository
from kiosk.config import Config
from kiosk.demo import sample_identity
from kiosk.online import Progress, Result, Status, Table
from kiosk.receipts import qr_payload
from kiosk.store import Store
from kiosk.visit.flow import Step
from kiosk.visit.session import Session, SessionSettings
from kiosk.visit.view import SessionView
from sync.online.backends import Citizen, sample_departments
from ui.demo import MORNING, NIGHT, DemoClock
from ui.demo_visit import VALUES


def make_session(data_dir: Path, clock: DemoClock, lang: str = "zh") -> tuple[Session, Store]:
    """A session on a fresh store, hall reachable."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "kiosk.db", clock=clock)
    catalog = CatalogRepository(data_dir).active()
    settings = SessionSettings.from_config(Config())
    session = Session(catalog=catalog, store=store, clock=clock, settings=settings, hall_online=lambda: True,
                      camera_ready=lambda: True)  # fmt: skip
    return session, store


def sample_page(document: str = "hukou", page: int = 0) -> Page:
    """A photographed page as the capture step keeps it (a sample document, straight, as a JPEG)."""
    image = render_page(document, page)
    return Page.from_jpeg(cv2.imencode(".jpg", image)[1].tobytes(), image.shape[1], image.shape[0])


def answered(s: Session, value: object) -> None:
    """Hand the session the hall's answer to what it asks (the value as the client parses it off the wire)."""
    ask = s.online_ask()
    assert ask is not None
    assert s.online_done(ask.token, [Result(Status.OK, value)])


def online_views(s: Session, clock: DemoClock, keep: Callable[[], None], lang: str) -> None:
    """The answer of a query (the sample medical insurance department's, for the demo's citizen) and a
    progress lookup."""
    identity = sample_identity()
    s.tick(clock() + 60)
    s.set_lang(lang)
    s.identify_card(identity)
    s.choose_service("mi_account_query")
    s.accept_notice()
    s.submit_form()
    who = Citizen(identity.name, identity.id_number, "id_card")
    records = sample_departments().backend_for("query", "mi_account_query").query("mi_account_query", who, {})
    answered(s, Table.from_wire(records.to_wire("mi_account_query")))
    keep()
    s.finish()
    s.card_removed()
    s.tick(clock() + 60)
    s.set_lang(lang)
    s.start_progress()
    s.lookup_progress(qr_payload("KSK-DEMO-01", "KSK-DEMO-01-261124-0001", "3f9c2a1b"))
    answered(s, Progress.from_wire({
        "reference": "KSK-DEMO-01-261124-0001", "status": "needs_materials", "updated_at": clock(),
        "service": {"zh": "新生儿出生", "en": "Newborn"}, "note": {"zh": "请补交户口簿首页复印件", "en": "Please "
        "bring a copy of the household register's first page"},
    }))  # fmt: skip
    keep()
    s.finish()


def all_views(data_dir: Path, lang: str) -> dict[Step, SessionView]:
    """One view per step (the form's after a failed submit, so every field shows its message)."""
    clock = DemoClock(NIGHT)
    s, store = make_session(data_dir, clock, lang)
    views: dict[Step, SessionView] = {}

    def keep() -> None:
        views.setdefault(s.step, s.view())

    s.set_lang(lang)
    keep()
    s.start()
    keep()
    s.identify_card(sample_identity())
    keep()
    s.choose_bundle("newborn")
    keep()
    s.accept_notice()
    s.submit_form()
    keep()
    locked = {f.key for f in s.view().fields if f.locked}
    for f in s.view().fields:
        if f.key not in locked:
            s.set_field(f.key, VALUES.get(f.key, f.choices[0].value if f.choices else "示例"))
    s.submit_form()
    keep()
    s.photograph_materials()
    s.skip_material("m1")  # 容缺: the ID cards go to the window
    s.add_page("m2", sample_page("hukou", 0))
    s.add_page("m2", sample_page("hukou", 1))
    keep()
    s.confirm()
    keep()
    s.receipt()
    keep()
    s.proceed()
    keep()
    s.rate(2, ["slow"])
    keep()  # take_card: the card is still on the reader
    s.card_removed()
    keep()  # end
    s.tick(clock() + 60)
    s.identify_card(sample_identity())
    s.start_appointment("human_resources")
    keep()
    s.book(s.appointment_slots()[0])
    keep()
    s.more()
    s.start_bookings()
    keep()
    s.withdraw_booking(s.my_bookings()[0].reference)
    keep()
    s.cancel() if "cancel" in s.available_events() else s.finish()
    s.card_removed()
    s.tick(clock() + 60)
    s.set_lang(lang)
    s.start_report()
    keep()
    s.report_unresolved("materials", "", "13904771234")
    keep()
    s.finish()
    clock.set(MORNING)
    s.tick()
    s.set_lang(lang)
    s.start_ticket()
    keep()
    s.take_ticket("human_resources")
    keep()
    s.finish()
    online_views(s, clock, keep, lang)
    s.out_of_service("disk full")
    keep()
    store.close()
    assert datetime.fromtimestamp(clock()).year == 2026
    return views
