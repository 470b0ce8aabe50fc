"""The reference hall's answering side: requests in, department backends on worker threads, answers out.

The hall's network thread (``Hall.step``) only routes: :meth:`RequestHandler.received` checks a request and hands
it to a worker pool, and :meth:`RequestHandler.pump` publishes the answers that are ready. Each department has its
own small pool (a hung tax system delays only tax answers), progress and sign-in share the hall's own pool, and
nothing a backend does can hold up the uplink. A request whose backend has not answered shortly before the
kiosk's deadline is answered ``department_down``; whatever the backend returns later is dropped.

The answer goes only to ``<root>/<hall>/kiosk/<kiosk>/down/answer`` of the kiosk named in the request topic
(which the ACL ties to the kiosk's certificate); a Response Topic pointing anywhere else is refused. Requests and
answers are never stored or logged with their content; certificates are registered by verification code with a
masked holder and the PDF's SHA-256 only.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import logging
import queue
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.catalog import Catalog, load_catalog, shipped_catalog_path
from kiosk.identity import mask_id_number, mask_name
from kiosk.online.references import parse_reference
from sync import contract
from sync.online import wire
from sync.online.backends.base import BadParams, Citizen, DepartmentDown, Departments, NoRecord
from sync.online.codes import CodeRefused, Codes
from sync.online.hall_store import OnlineStore
from sync.online.pdf import Issuer, RenderError, render_certificate

log = logging.getLogger(__name__)

HALL_POOL = "hall"  # progress and sign-in: the hall's own data


class Answer(Exception):
    """Raised inside a job to answer with a non-ok status."""

    def __init__(self, status: str, error: str, reason: str = "") -> None:
        super().__init__(error)
        self.status, self.error, self.reason = status, error, reason


@dataclass
class _Job:
    kiosk: str
    kind: str
    request_id: str
    correlation: bytes
    deadline: float  # monotonic: answer department_down if the backend has not answered by then
    expires: float  # monotonic: the kiosk's own deadline
    answered: bool = False


@dataclass
class RequestStats:
    """Counters (no content) for logs, tests and the benchmark."""

    received: int = 0
    answered: Counter[str] = field(default_factory=Counter)
    dropped: int = 0


class RequestHandler:
    """Answers the kiosks' requests for one hall instance (attach it to a :class:`sync.hall.Hall`)."""

    def __init__(
        self,
        departments: Departments,
        store: OnlineStore,
        *,
        hall_id: str,
        issuer: Issuer,
        topic_root: str = "gov/v1",
        identity: str = "hall",
        share_group: str = "hall",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        workers_per_department: int = 4,
        margin_s: float = 0.5,
        font: Path | None = None,
    ) -> None:
        self.departments = departments
        self.store = store
        self.codes = Codes(store.secret(), clock=clock)
        self._hall = hall_id
        self._root = topic_root
        self._identity = identity
        self._issuer = issuer
        self._clock = clock
        self._mono = monotonic
        self._margin_s = margin_s
        self._font = font
        self.subscription = wire.RequestTopics(topic_root, hall_id, "+").request_filter(share_group)
        names = {b.department for b in departments.backends} | {HALL_POOL}
        self._pools = {
            name: ThreadPoolExecutor(workers_per_department, thread_name_prefix=f"online-{name}") for name in names
        }
        self._jobs: dict[str, _Job] = {}  # request id -> job; the hall thread only
        self._ready: queue.SimpleQueue[tuple[_Job, dict[str, Any]]] = queue.SimpleQueue()
        self._client: mqtt.Client | None = None
        self._sub_mid: int | None = None
        self.subscribed = False  # the broker granted the request subscription (on the current connection)
        self.stats = RequestStats()

    # ------------------------------------------------------------------------------------ the hall's thread
    def accepts(self, topic: str) -> bool:
        """Whether ``topic`` is a request topic of this hall."""
        return wire.parse_request_topic(self._root, self._hall, topic) is not None

    def subscribe(self, client: mqtt.Client) -> None:
        """Subscribe to the requests (its own SUBACK: see :meth:`owns_suback`)."""
        self.subscribed = False
        _rc, self._sub_mid = client.subscribe(self.subscription, 1)

    def owns_suback(self, mid: int, codes: list[Any]) -> bool:
        """True (and logged) when this SUBACK answers the request subscription."""
        if mid != self._sub_mid:
            return False
        failed = [str(c) for c in codes if c.is_failure]
        if failed:
            log.error("the broker refused the request subscription (ACL?): %s", ", ".join(failed))
        self.subscribed = not failed
        return True

    def received(self, msg: mqtt.MQTTMessage) -> None:
        """Check one request and hand it to a worker; bad ones are answered ``bad_request`` at once. Never raises
        (it runs inside the hall's network loop)."""
        self.stats.received += 1
        try:
            self._receive(msg)
        except Exception as exc:  # whatever a hostile request provokes, the uplink keeps flowing
            self.stats.dropped += 1
            log.error("dropped a request that could not be handled: %s", type(exc).__name__)

    def _receive(self, msg: mqtt.MQTTMessage) -> None:
        parsed = wire.parse_request_topic(self._root, self._hall, msg.topic)
        if parsed is None:
            return
        kiosk, topic_kind = parsed
        props = msg.properties
        correlation = bytes(getattr(props, "CorrelationData", b"") or b"")
        expiry = getattr(props, "MessageExpiryInterval", None)
        try:
            request = contract.decode(bytes(msg.payload))
        except contract.ContractError:
            request = None
        request_id = request.get("id") if isinstance(request, dict) else None
        if not isinstance(request_id, str) or topic_kind not in wire.KINDS:
            self.stats.dropped += 1
            log.warning("dropped a request from %s that cannot be answered (no id or unknown kind)", kiosk)
            return
        timeout = request.get("timeout_s") if isinstance(request.get("timeout_s"), int | float) else 5.0
        window = min(float(expiry) if expiry else timeout, timeout, wire.MAX_TIMEOUT_S)
        now = self._mono()
        margin = min(self._margin_s, window / 4)  # a short wait still leaves the backend most of it
        job = _Job(kiosk, topic_kind, request_id, correlation, now + window - margin, now + window)
        try:
            self._check(msg, request, kiosk, topic_kind)
            pool, work = self._route(job, request)
        except Answer as exc:
            self._publish(job, self._answer(job, exc.status, exc.error, exc.reason))
            return
        except contract.ContractError as exc:
            self._publish(job, self._answer(job, "bad_request", str(exc)))
            return
        self._jobs[request_id] = job
        future = self._pools[pool].submit(self._run, job, work)
        future.add_done_callback(functools.partial(self._done, job))

    def _check(self, msg: mqtt.MQTTMessage, request: Any, kiosk: str, kind: str) -> None:
        wire.validate_request(request)
        answer_topic = wire.RequestTopics(self._root, self._hall, kiosk).answer
        if getattr(msg.properties, "ResponseTopic", None) != answer_topic:
            raise Answer("bad_request", f"the Response Topic must be {answer_topic}")
        if request["kind"] != kind or request["kiosk_id"] != kiosk or request["hall_id"] != self._hall:
            raise Answer("bad_request", "kind, kiosk_id or hall_id does not match the topic")
        if request["id"].encode("ascii") != bytes(getattr(msg.properties, "CorrelationData", b"") or b""):
            raise Answer("bad_request", "the Correlation Data must be the request id")

    def _route(self, job: _Job, request: dict[str, Any]) -> tuple[str, Callable[[], dict[str, Any]]]:
        if job.kind in ("query", "certificate"):
            backend = self.departments.backend_for(job.kind, request["service"])
            if backend is None:
                raise Answer("bad_request", f"no department answers {job.kind} {request['service']}")
            citizen = Citizen.from_wire(request.get("identity"))
            if job.kind == "query":
                return backend.department, lambda: backend.query(
                    request["service"], citizen, request["params"]
                ).to_wire(request["service"])
            if citizen is None:
                raise Answer("bad_request", "a certificate needs the citizen's identity")
            return backend.department, lambda: self._certificate(job, backend, request, citizen)
        if job.kind == "progress":
            return HALL_POOL, lambda: self._progress(request["reference"])
        return HALL_POOL, lambda: self._signin(request["code"], job.kiosk)

    def pump(self, client: mqtt.Client | None) -> None:
        """Publish the answers that are ready; answer ``department_down`` for backends past the deadline."""
        self._client = client
        while True:
            try:
                job, answer = self._ready.get_nowait()
            except queue.Empty:
                break
            if not job.answered:
                self._publish(job, answer)
        if self._jobs:
            now = self._mono()
            for job in list(self._jobs.values()):
                if not job.answered and now >= job.deadline:
                    log.warning("online %s from %s: the department did not answer in time", job.kind, job.kiosk)
                    self._publish(job, self._answer(job, "department_down", "the department did not answer in time"))
            self._jobs = {k: j for k, j in self._jobs.items() if not j.answered}

    def _publish(self, job: _Job, answer: dict[str, Any]) -> None:
        job.answered = True
        self.stats.answered[answer["status"]] += 1
        remaining = job.expires - self._mono()
        client = self._client
        if client is None or remaining <= 0:
            log.info("online %s for %s: answer dropped (%s)", job.kind, job.kiosk, "no link" if client else "late")
            return
        topic = wire.RequestTopics(self._root, self._hall, job.kiosk).answer
        props = wire.answer_properties(job.correlation, remaining, self._identity)
        client.publish(topic, contract.encode(answer), qos=1, properties=props)

    def close(self) -> None:
        """Stop the worker pools (running backend calls finish on their own; their answers are dropped)."""
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------------------------- worker threads
    def _answer(self, job: _Job, status: str, error: str | None = None, reason: str = "", result: Any = None) -> dict:
        return wire.answer_message(
            job.kind,
            job.request_id,
            sender=self._identity,
            created_at=self._clock(),
            status=status,
            error=error,
            reason=reason,
            result=result,
        )

    def _run(self, job: _Job, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return self._answer(job, "ok", result=work())
        except Answer as exc:
            return self._answer(job, exc.status, exc.error, exc.reason)
        except NoRecord as exc:
            return self._answer(job, "no_record", str(exc))
        except BadParams as exc:
            return self._answer(job, "bad_request", str(exc))
        except CodeRefused as exc:
            return self._answer(job, "refused", f"sign-in code {exc.reason}", exc.reason)
        except (DepartmentDown, RenderError) as exc:
            log.warning("online %s for %s: %s", job.kind, job.kiosk, type(exc).__name__)
            return self._answer(job, "department_down", str(exc))
        except Exception as exc:  # an integrator's backend failing in any way is the department being down
            log.error("online %s for %s: the backend failed: %s", job.kind, job.kiosk, type(exc).__name__)
            return self._answer(job, "department_down", f"the department's system failed: {type(exc).__name__}")

    def _done(self, job: _Job, future: Future[dict[str, Any]]) -> None:
        if future.cancelled():
            return
        self._ready.put((job, future.result()))
        wire.wake(self._client)

    def _certificate(self, job: _Job, backend: Any, request: dict[str, Any], citizen: Citizen) -> dict[str, Any]:
        records = backend.certificate(request["service"], citizen, request["params"])
        code = self.codes.new_verification_code()
        issued_at = self._clock()
        pdf, pages = render_certificate(
            records, citizen, issuer=self._issuer, code=code, issued=datetime.fromtimestamp(issued_at), font=self._font
        )
        digest = hashlib.sha256(pdf).hexdigest()
        self.store.record_certificate(
            code,
            service=request["service"],
            title=records.title.zh,
            kiosk_id=job.kiosk,
            holder=mask_name(citizen.name),
            id_masked=mask_id_number(citizen.id_number),
            issued_at=issued_at,
            sha256=digest,
            pages=pages,
        )
        return {
            "service": request["service"],
            "title": {"zh": records.title.zh, "en": records.title.en},
            "pdf_base64": base64.b64encode(pdf).decode("ascii"),
            "sha256": digest,
            "pages": pages,
            "verification_code": code,
            "issued_at": issued_at,
        }

    def _progress(self, text: str) -> dict[str, Any]:
        try:
            query = parse_reference(text)
        except ValueError:
            raise NoRecord("not a reference number or receipt QR code") from None
        submission = self.store.submission(query)
        if submission is None:
            raise NoRecord("no submission with this reference")
        state = self.store.progress(submission)
        name = _catalog_name(submission.item_id)
        return {
            "reference": submission.reference,
            "status": state.status,
            "updated_at": state.updated_at,
            "service": name,
            "note": {"zh": state.note, "en": state.note} if state.note else None,
        }

    def _signin(self, code: str, kiosk: str) -> dict[str, Any]:
        token = self.codes.check_signin_code(code)
        state, id_number = self.store.use_signin(token.nonce, kiosk)
        if state != "ok":
            raise CodeRefused("used" if state == "used" else "invalid")
        name = self.departments.directory.name_of(id_number)
        if not name:
            raise NoRecord("the code's citizen is not in the directory")
        return {"name": name, "id_number": id_number, "assurance": "phone_code"}


@functools.cache
def _shipped_catalog() -> Catalog | None:
    with contextlib.suppress(Exception):
        return load_catalog(shipped_catalog_path())
    return None


def _catalog_name(item_id: str) -> dict[str, str] | None:
    """The name of a service or bundle of the shipped catalog, for the progress answer."""
    catalog = _shipped_catalog()
    if catalog is None:
        return None
    item = catalog.services.get(item_id) or catalog.bundles.get(item_id)
    return {"zh": item.name.zh, "en": item.name.en} if item is not None else None
