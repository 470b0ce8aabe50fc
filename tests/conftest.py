"""Test-wide settings: Qt runs offscreen where there is no display (else the qapp fixture aborts the run)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
