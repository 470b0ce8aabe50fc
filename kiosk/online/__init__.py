"""Online requests from the screen process: department queries, certificates, progress and phone sign-in.

The screens use :class:`OnlineClient`; answers come back as plain dataclasses inside a :class:`Result`, and a
visit keeps them in a :class:`VisitAnswers` that it clears at the end. The sync agent does the MQTT part
(``sync/online``); see docs/architecture.md, "Online requests".
"""

from kiosk.online.client import OnlineClient, identity_fields
from kiosk.online.outcomes import Problem, Status, problem
from kiosk.online.references import ReferenceQuery, parse_reference
from kiosk.online.results import (
    PROGRESS_STATUSES,
    Certificate,
    Column,
    Progress,
    Result,
    SignIn,
    Table,
    VisitAnswers,
)

__all__ = [
    "PROGRESS_STATUSES",
    "Certificate",
    "Column",
    "OnlineClient",
    "Problem",
    "Progress",
    "ReferenceQuery",
    "Result",
    "SignIn",
    "Status",
    "Table",
    "VisitAnswers",
    "identity_fields",
    "parse_reference",
    "problem",
]
