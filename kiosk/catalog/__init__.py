"""The service catalog: single services and "one thing" bundles (高效办成一件事), as validated data.

* :mod:`kiosk.catalog.model`: the frozen dataclasses forms, the session, receipts and the shell use.
* :mod:`kiosk.catalog.validation`: bytes -> JSON -> the structure of ``kiosk/data/catalog.schema.json``
  (jsonschema) -> the model -> the checks across entries (ids, departments, field keys). A catalog is one JSON
  document (``kiosk/data/catalog.json`` ships with the firmware) whose objects carry exactly the fields of the
  model, plus ``"schema": 1`` at the top; a typo in a key is refused, never ignored.
* :mod:`kiosk.catalog.repository`: the installed catalog, replaced atomically, with its fallbacks.
"""

from kiosk.catalog.model import (
    ASSURANCES,
    FIELD_KINDS,
    PREFILL_NAMES,
    SCHEMA_VERSION,
    Bundle,
    Catalog,
    CatalogError,
    Choice,
    FieldSpec,
    Material,
    Notice,
    Service,
    Text,
    bundle_assurance,
    bundle_services,
    needs_hall,
    standalone_services,
    strictest_assurance,
)
from kiosk.catalog.repository import CatalogRepository
from kiosk.catalog.validation import (
    MAX_CATALOG_BYTES,
    load_catalog,
    parse_catalog,
    parse_catalog_bytes,
    schema_path,
    shipped_catalog_path,
)

__all__ = [
    "ASSURANCES",
    "FIELD_KINDS",
    "MAX_CATALOG_BYTES",
    "PREFILL_NAMES",
    "SCHEMA_VERSION",
    "Bundle",
    "Catalog",
    "CatalogError",
    "CatalogRepository",
    "Choice",
    "FieldSpec",
    "Material",
    "Notice",
    "Service",
    "Text",
    "bundle_assurance",
    "bundle_services",
    "load_catalog",
    "needs_hall",
    "parse_catalog",
    "parse_catalog_bytes",
    "schema_path",
    "shipped_catalog_path",
    "standalone_services",
    "strictest_assurance",
]
