"""Online requests within a visit: what to ask the hall now, what came back, what the screens show.

The session never waits for the hall (it is single-threaded and runs on the GUI thread). A step that needs an
answer sets up an :class:`OnlineState` holding the requests: the ANSWER step after the form of a query or
certificate service, a progress lookup (a receipt's QR code scanned or its number typed), a phone code scanned
to sign in. The shell takes them with :meth:`OnlineVisit.online_ask`, asks them through
:class:`kiosk.online.OnlineClient` off the GUI thread, and hands the results back with
:meth:`OnlineVisit.online_done`. Each ask carries a random token: a late answer (the citizen stopped waiting,
went back, or the visit ended) matches no state and is dropped, never shown to the next citizen.

Answers hold personal data: the session keeps them in the visit's :class:`kiosk.online.VisitAnswers`, which is
cleared (a certificate's PDF bytes overwritten) when the visit ends; views carry tables and a certificate's
title and code, never its bytes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog import Service, Text
from kiosk.identity import PHONE_CODE, Identity, identity_from_signin
from kiosk.layout import Align, Feed, KeyValue, PrintJob, Rule, TextLine
from kiosk.online import (
    Certificate,
    OnlineClient,
    Problem,
    Progress,
    Result,
    SignIn,
    Status,
    Table,
    parse_reference,
    problem,
)
from kiosk.online.references import RECEIPT_QR_PREFIX, SIGNIN_CODE_PREFIX, is_reference
from kiosk.visit.core import SessionCore
from kiosk.visit.flow import SessionError, Step
from kiosk.visit.view import Chosen

log = logging.getLogger(__name__)

QUERY, CERTIFICATE, PROGRESS, SIGNIN = "query", "certificate", "progress", "signin"

NEEDS_SURE_IDENTITY = Text(
    "查询、打印证明和提交申请需要确认是您本人，只输入身份证号码不行。"
    "请把身份证或社保卡放在读卡区，或把手机上的“扫码登录”码对准扫描口。",
    "To see records, print a certificate or apply, we must be sure it is you: a typed ID number is not enough. "
    "Place your ID card or social security card on the reader, or show your phone's sign-in code to the scanner.",
)
NEEDS_CARD = Text(
    "此事项需要本人的身份证或社保卡。请把证件放在读卡区。",
    "This service needs your own ID card or social security card: please place it on the reader.",
)
NOT_THE_SAME_PERSON = Text(
    "证件（或手机码）上的身份证号码与您输入的不一致。如为他人办理，请结束本次办理，再用本人证件重新开始。",
    "The card (or phone code) shows another ID number than the one you typed. To do this for someone else, "
    "finish this visit and start again with their own card.",
)
NOT_A_REFERENCE = Text(
    "无法识别这个受理编号。请核对回执上的编号（例如 KSK-0001-261124-0007），或扫描回执上的二维码。",
    "This is not a reference number. Check the number on your receipt (like KSK-0001-261124-0007), or scan the "
    "receipt's QR code.",
)


@dataclass(frozen=True, repr=False)
class OnlineRequest:
    """One request for the hall: its kind, the catalog service, who it is about, the form values, or the text
    (a reference or a sign-in code) that progress and sign-in requests carry."""

    kind: str  # query | certificate | progress | signin
    service: str = ""
    identity: Identity | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    def __repr__(self) -> str:
        return f"OnlineRequest({self.kind}, service={self.service!r})"

    def send(self, client: OnlineClient) -> Result[Any]:
        """Ask ``client`` (blocking: call it off the GUI thread); never raises for a failure."""
        if self.kind == QUERY:
            return client.query(self.service, self.identity, self.params)
        if self.kind == CERTIFICATE:
            assert self.identity is not None  # a certificate is always about the citizen
            return client.certificate(self.service, self.identity, self.params)
        if self.kind == PROGRESS:
            return client.progress(self.text)
        return client.signin(self.text)


@dataclass(frozen=True)
class OnlineAsk:
    """Requests to send now, as one batch; hand the results back with the token."""

    token: str
    requests: tuple[OnlineRequest, ...]


@dataclass(repr=False)
class OnlineState:
    """The online part of the current step: what was asked, and what came back so far."""

    step: Step
    kind: str
    requests: tuple[OnlineRequest, ...]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    sent: bool = False
    done: bool = False
    stopped: bool = False  # the citizen stopped waiting
    problem: Problem | None = None
    tables: list[Table] = field(default_factory=list)
    certificate: Certificate | None = None
    progress: Progress | None = None

    @property
    def waiting(self) -> bool:
        """Asked (or about to be) and no answer yet."""
        return not (self.done or self.stopped)


@dataclass(frozen=True)
class CertificateView:
    """A certificate as the screen shows it: no PDF bytes."""

    title: Text
    verification_code: str
    pages: int
    issued_at: float


@dataclass(frozen=True)
class OnlineView:
    """The online part of the current screen, as plain data."""

    kind: str
    waiting: bool
    stopped: bool
    problem: Problem | None
    tables: tuple[Table, ...] = field(default=(), repr=False)
    certificate: CertificateView | None = None
    progress: Progress | None = None


def answered_online(chosen: Chosen | None) -> bool:
    """Whether the chosen item is answered at once (queries, certificates) rather than submitted."""
    return chosen is not None and all(s.query or s.prints_document for s in chosen.services)


def about_the_citizen(service: Service) -> bool:
    """Whether a service's request names the citizen (any field filled from the identity)."""
    return any(f.prefill for f in service.fields)


def service_requests(chosen: Chosen, identity: Identity | None, values: Mapping[str, str]) -> tuple[OnlineRequest, ...]:
    """One request per service of ``chosen``: a certificate for a printed document, else a query; the form values
    the citizen typed for the service's own fields are its params (identity fields travel as ``identity``)."""
    out = []
    for service in chosen.services:
        params = {
            f.key: values[f.key].strip() for f in service.fields if not f.prefill and values.get(f.key, "").strip()
        }
        kind = CERTIFICATE if service.prints_document else QUERY
        who = identity if about_the_citizen(service) or kind == CERTIFICATE else None
        out.append(OnlineRequest(kind, service.id, who, params))
    return tuple(out)


def answer_job(tables: Sequence[Table], lang: str, hall_name: Text) -> PrintJob:
    """A query's answer for the receipt printer: each row as "column: value" lines (80 mm paper is narrow)."""
    blocks: list[Any] = [TextLine(hall_name.get(lang), Align.CENTER, bold=True)]
    for table in tables:
        blocks += [TextLine(table.title.get(lang), Align.CENTER, scale=2, bold=True), Rule()]
        for row in table.rows:
            blocks += [KeyValue(c.title.get(lang), v) for c, v in zip(table.columns, row, strict=True)]
            blocks.append(Rule())
        if table.note is not None:
            blocks.append(TextLine(table.note.get(lang)))
    blocks.append(Feed(2))
    return PrintJob(title=f"answer {' '.join(t.service for t in tables)}", blocks=tuple(blocks))


class OnlineVisit(SessionCore):
    """The visit's online actions (the session inherits them). ``documents`` says why certificates cannot be
    printed now (None: they can): the A4 printer's state and the hall's health effects, asked on every view."""

    def __init__(self, *, documents: Callable[[], Text | None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._documents = documents or (lambda: None)

    # ------------------------------------------------------------------------------------- the shell's side
    def online_ask(self) -> OnlineAsk | None:
        """The requests to send now (each batch once), or None."""
        state = self._online_state()
        if state is None or state.sent or not state.waiting:
            return None
        state.sent = True
        return OnlineAsk(state.token, state.requests)

    def online_done(self, token: str, results: Sequence[Result[Any]]) -> bool:
        """The results of the ask ``token``, in request order. False (nothing changes) when nobody waits for them
        any more: the citizen stopped waiting, moved on, or the visit ended."""
        state = self._online_state()
        if state is None or state.token != token or not state.waiting or len(results) != len(state.requests):
            log.info("online answer dropped: nobody waits for it")
            return False
        state.done = True
        for result in results:
            if not result.ok:
                state.problem = state.problem or result.problem
                continue
            value = self._visit.answers.keep(result.value)
            if isinstance(value, Table):
                state.tables.append(value)
            elif isinstance(value, Certificate):
                state.certificate = value
            elif isinstance(value, Progress):
                state.progress = value
            elif isinstance(value, SignIn):
                self._signed_in(value, state)
        return True

    def certificate(self) -> Certificate | None:
        """The certificate of the current step, for the A4 printer (the bytes stay in memory for the visit)."""
        state = self._online_state()
        return state.certificate if state is not None else None

    # ---------------------------------------------------------------------------------- the citizen's side
    def stop_waiting(self) -> None:
        """The citizen does not want to wait any longer: a late answer is dropped; they may ask again."""
        state = self._online_state()
        if state is None or not state.waiting:
            raise SessionError("invalid_action", Text("当前没有等待中的查询", "nothing is being waited for"))
        self.touch()
        state.stopped = True

    def ask_again(self) -> None:
        """Ask the same once more (after a problem, or after stopping the wait)."""
        state = self._online_state()
        if state is None or state.waiting:
            raise SessionError("invalid_action", Text("当前不能重新查询", "nothing to ask again"))
        self.touch()
        self._visit.online = OnlineState(state.step, state.kind, state.requests)

    def start_progress(self) -> None:
        """From attract: look up where an application stands (进度查询)."""
        self._require("progress")
        self._go("progress")

    def lookup_progress(self, text: str) -> None:
        """Ask about the application ``text`` names: a reference typed from a receipt, or the receipt's QR text."""
        if self._step != Step.PROGRESS:
            raise SessionError("invalid_action", Text("当前页面不能查询进度", f"no progress lookup in {self._step!s}"))
        self.touch()
        try:
            parse_reference(text)
        except ValueError:
            raise self._refuse("not_a_reference", NOT_A_REFERENCE) from None
        self._visit.message = None
        self._visit.online = OnlineState(Step.PROGRESS, PROGRESS, (OnlineRequest(PROGRESS, text=text.strip()),))

    def sign_in(self, code: str) -> None:
        """A phone sign-in code was read: on attract the visit starts; on identify it identifies; on choose or the
        notice it confirms a typed ID number (it must be the same person)."""
        if self._step == Step.ATTRACT:
            self._require("start")
            self._go("start")
        if self._step not in (Step.IDENTIFY, Step.CHOOSE, Step.NOTICE) or (
            self._step != Step.IDENTIFY and not self._may_strengthen(PHONE_CODE)
        ):
            raise SessionError("invalid_action", Text("当前页面不能扫码登录", f"no sign-in in step {self._step!s}"))
        self.touch()
        self._visit.message = None
        self._visit.online = OnlineState(self._step, SIGNIN, (OnlineRequest(SIGNIN, text=code.strip()),))

    def scanned(self, code: str) -> bool:
        """A code from the scanner. On the progress screen any code is looked up (a SessionError says why it names
        no application); on attract a receipt's QR code starts a lookup. A phone sign-in code signs in on attract,
        confirms a typed ID number on choose and the notice; on identify any code but a receipt's is taken for a
        sign-in code (the hall says if it is none). False when the code means nothing to the visit here (the
        screen may use it)."""
        code = code.strip()
        if not code or self._online_busy():
            return False
        if self._step == Step.PROGRESS:
            self.lookup_progress(code)
            return True
        if code.startswith(RECEIPT_QR_PREFIX):
            if self._step != Step.ATTRACT or not is_reference(code):
                return False
            self.start_progress()
            self.lookup_progress(code)
            return True
        phone = code.startswith(SIGNIN_CODE_PREFIX)
        signs_in = self._step == Step.IDENTIFY or (phone and self._step == Step.ATTRACT) or (
            phone and self._step in (Step.CHOOSE, Step.NOTICE) and self._may_strengthen(PHONE_CODE)
        )
        if signs_in:
            self.sign_in(code)
        return signs_in

    def upgrade_identity(self, identity: Identity) -> bool:
        """A card tapped (or a phone sign-in) while a typed ID number was the identity: the same person is now
        sure. True when the identity was replaced; SessionError for another person's card."""
        v = self._visit
        if v.identity is None or self._step not in (Step.CHOOSE, Step.NOTICE) or not self._may_strengthen():
            return False
        if identity.from_card:
            self._check_card(identity)  # an expired or unreadable card is refused as on the identify screen
        if identity.id_number != v.identity.id_number:
            raise self._refuse("not_the_same_person", NOT_THE_SAME_PERSON)
        self.touch()
        v.identity, v.card_present, v.message = identity, identity.from_card or v.card_present, None
        log.info("identity confirmed by %s", identity.assurance)
        return True

    # ------------------------------------------------------------------------------------------ internals
    def _check_card(self, identity: Identity) -> None:
        """Refuse an expired or unreadable card (the session's own check)."""
        raise NotImplementedError

    def _entered(self, step: Step) -> None:
        if step == Step.ANSWER:
            self._start_answer()

    def _may_strengthen(self, to: str = "card") -> bool:
        """Whether an identity of level ``to`` would make the visit's identity surer."""
        v = self._visit
        return v.identity is not None and not v.identity.satisfies(to)

    def _online_state(self) -> OnlineState | None:
        state: OnlineState | None = self._visit.online
        return state if state is not None and state.step == self._step else None

    def _online_busy(self) -> bool:
        state = self._online_state()
        return state is not None and state.waiting

    def _signed_in(self, signin: SignIn, state: OnlineState) -> None:
        try:
            identity = identity_from_signin(signin.name, signin.id_number, self._today())
        except ValueError as exc:  # the hall vouched for a number that is no ID number: no usable answer
            log.warning("phone sign-in answer unusable: %s", type(exc).__name__)
            state.problem = problem(Status.BAD_ANSWER)
            return
        if self._step == Step.IDENTIFY:
            self._visit.identity, self._visit.card_present = identity, False
            self._visit.online = None
            self._go("phone_code")
            return
        try:
            self.upgrade_identity(identity)
        except SessionError:  # another person's phone: the refusal is the visit's message
            log.info("phone sign-in refused: another ID number than the typed one")

    def _check_assurance(self) -> None:
        """Refuse going on past the notice with an identity weaker than the chosen item asks for."""
        v = self._visit
        if v.chosen is None or v.identity is None:
            return
        required = v.chosen.assurance
        if not v.identity.satisfies(required):
            raise self._refuse("needs_card" if required == "card" else "needs_sure_identity",
                               NEEDS_CARD if required == "card" else NEEDS_SURE_IDENTITY)  # fmt: skip

    def _check_documents(self, chosen: Chosen) -> None:
        """Refuse a certificate service while no certificate can be printed (no A4 paper...), with the reason."""
        if answered_online(chosen) and any(s.prints_document for s in chosen.services):
            reason = self._documents()
            if reason is not None:
                raise self._refuse("no_certificates", reason)

    def documents_problem(self) -> Text | None:
        """Why certificates cannot be printed now (None: they can)."""
        return self._documents()

    def _start_answer(self) -> None:
        """Entering ANSWER: the chosen item's requests, from the form."""
        v = self._visit
        assert v.chosen is not None
        requests = service_requests(v.chosen, v.identity, v.values)
        kind = CERTIFICATE if any(r.kind == CERTIFICATE for r in requests) else QUERY
        v.online = OnlineState(Step.ANSWER, kind, requests)

    def _online_view(self) -> OnlineView | None:
        state = self._online_state()
        if state is None:
            return None
        cert = state.certificate
        shown = CertificateView(cert.title, cert.verification_code, cert.pages, cert.issued_at) if cert else None
        return OnlineView(
            kind=state.kind, waiting=state.waiting, stopped=state.stopped, problem=state.problem,
            tables=tuple(state.tables), certificate=shown, progress=state.progress,
        )  # fmt: skip
