"""One run of the kiosk's software updater: check, verify, install into the other slot, switch between visits,
restart, and keep the new version only if it reports healthy in time; else switch back by itself.

Steps and the event each reports (``update.<step>``, with the version):

    available   the hall's current release differs from the running one (and was not rolled back before)
    downloaded  every file of it fetched and checked against the signed targets metadata
    installed   into the inactive slot (a fresh venv, offline from those files)
    deferred    a visit was still going on after ``update.visit_wait_s``: the next run switches
    switched    ``current`` points to the new slot; the services are being restarted
    healthy     UI alive and agent connected within ``update.health_timeout_s``: the update is done
    rolled_back not healthy in time: ``current`` is back on the previous slot, services restarted
    refused     TUF refused what the repository offered (``reason``: rollback, expired, tampered, …)
    failed      something else went wrong (``stage``: check, download, install, restart, rollback)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import UpdateSection
from provisioning.updater.client import FetchFailed, ReleaseClient, UpdateRefused, clear_downloads
from provisioning.updater.health import Health, HealthWatch
from provisioning.updater.report import Reporter, schema_version
from provisioning.updater.services import UNITS, ServiceManager
from provisioning.updater.slots import SlotError, SlotInstaller, Slots
from provisioning.updater.state import Trial, UpdaterState, load_state, save_state
from sync.release.manifest import Manifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """How a run ended: ``what`` is one of the event steps, or ``not_due``, ``up_to_date``, ``no_release``,
    ``skipped`` (a version rolled back before)."""

    what: str
    version: str | None = None
    detail: str = ""


@dataclass
class Parts:
    """What a run works with (everything with side effects is injected)."""

    settings: UpdateSection
    slots: Slots
    installer: SlotInstaller
    services: ServiceManager
    health: HealthWatch
    reporter: Reporter
    db_path: Path
    client: Callable[[], ReleaseClient]  # a fresh TUF client for this run
    clock: Callable[[], float] = time.time


class SoftwareUpdater:
    """The updater of one kiosk."""

    def __init__(self, parts: Parts) -> None:
        self.p = parts
        self.state_path = parts.settings.state_dir / "state.json"
        self.downloads = parts.settings.state_dir / "downloads"

    def run(self, *, force: bool = False) -> Outcome:
        """One pass. A trial left by an interrupted run is finished first; otherwise the hall is asked when the
        check interval has passed (or ``force``)."""
        self.p.reporter.flush()
        state = load_state(self.state_path)
        if state.trial is not None:
            log.info("finishing the trial of %s left by an earlier run", state.trial.version)
            trial = state.trial
            if trial.since is not None and trial.deadline is not None:  # give the resumed wait a whole window
                trial.deadline = max(trial.deadline, self.p.clock() + self.p.settings.health_timeout_s)
            return self._finish_trial(state)
        now = self.p.clock()
        if not force and now - state.last_check < self.p.settings.check_interval_s:
            return Outcome("not_due")
        state.last_check = now
        save_state(self.state_path, state)
        return self._check(state)

    # ---------------------------------------------------------------------------------------------- check
    def _check(self, state: UpdaterState) -> Outcome:
        try:
            client = self.p.client()
            manifest = client.current(self.p.settings.state_dir / "scratch")
        except UpdateRefused as exc:
            self.p.reporter.report("refused", None, reason=exc.reason, detail=exc.detail[:300])
            return Outcome("refused", None, exc.reason)
        except (FetchFailed, OSError) as exc:
            self.p.reporter.report("failed", None, stage="check", detail=str(exc)[:300])
            return Outcome("failed", None, str(exc))
        if manifest is None:
            return Outcome("no_release")
        active = self.p.slots.active()
        running = self.p.slots.version(active)
        if manifest.version == running:
            return Outcome("up_to_date", running)
        if manifest.version in state.rejected:
            log.info("release %s was rolled back on this kiosk before: not installed again", manifest.version)
            return Outcome("skipped", manifest.version)
        target = self.p.slots.inactive()
        if self.p.slots.version(target) != manifest.version:
            failed = self._install(client, manifest, target, running)
            if failed is not None:
                return failed
        deadline = self.p.clock() + self.p.settings.visit_wait_s
        if not self.p.health.wait_no_visit(deadline):
            self.p.reporter.report("deferred", manifest.version, slot=target, reason="visit in progress")
            return Outcome("deferred", manifest.version)
        return self._switch(state, manifest.version, target, active)

    def _install(self, client: ReleaseClient, manifest: Manifest, target: str, running: str | None) -> Outcome | None:
        """Download and install ``manifest`` into slot ``target``; an outcome only when that failed."""
        version = manifest.version
        self.p.reporter.report("available", version, running=running)
        try:
            fetched = client.download(manifest, self.downloads / version)
        except UpdateRefused as exc:
            self.p.reporter.report("refused", version, reason=exc.reason, detail=exc.detail[:300])
            return Outcome("refused", version, exc.reason)
        except (FetchFailed, OSError) as exc:
            self.p.reporter.report("failed", version, stage="download", detail=str(exc)[:300])
            return Outcome("failed", version, str(exc))
        self.p.reporter.report("downloaded", version, files=len(manifest.files))
        try:
            self.p.installer.install(
                self.p.slots, target, fetched.directory, wheel=manifest.wheel, lock=manifest.lock, version=version
            )
        except (SlotError, OSError) as exc:
            self.p.reporter.report("failed", version, stage="install", slot=target, detail=str(exc)[-300:])
            return Outcome("failed", version, str(exc))
        self.p.reporter.report("installed", version, slot=target)
        return None

    # ----------------------------------------------------------------------------------- switch and trial
    def _switch(self, state: UpdaterState, version: str, target: str, previous: str | None) -> Outcome:
        trial = Trial(version=version, slot=target, previous=previous, schema_before=schema_version(self.p.db_path))
        state.trial = trial
        save_state(self.state_path, state)  # before the switch: an interrupted run is finished by the next one
        self.p.slots.switch(target)
        self.p.reporter.report("switched", version, slot=target, previous=previous)
        try:
            self.p.services.restart(UNITS)
        except Exception as exc:  # a unit that does not come up is as unhealthy as it gets
            log.error("restart on %s failed: %s", version, exc)
            return self._roll_back(state, None, f"restart failed: {str(exc)[-200:]}")
        trial.since = self.p.clock()
        trial.deadline = trial.since + self.p.settings.health_timeout_s
        save_state(self.state_path, state)
        return self._finish_trial(state)

    def _finish_trial(self, state: UpdaterState) -> Outcome:
        trial = state.trial
        assert trial is not None
        if trial.rollback is not None:  # a rollback was stopped half-way: do it again (every step repeats safely)
            return self._roll_back(state, None, trial.rollback)
        if self.p.slots.active() != trial.slot:  # the switch itself never happened (stopped just before it)
            log.info("trial of %s was not switched to: dropped", trial.version)
            self._end_trial(state, rejected=False)
            return Outcome("skipped", trial.version, "interrupted before the switch")
        if trial.since is None or trial.deadline is None:  # stopped between switch and restart
            try:
                self.p.services.restart(UNITS)
            except Exception as exc:
                return self._roll_back(state, None, f"restart failed: {str(exc)[-200:]}")
            trial.since = self.p.clock()
            trial.deadline = trial.since + self.p.settings.health_timeout_s
            save_state(self.state_path, state)
        health = self.p.health.wait_healthy(trial.since, trial.deadline)
        if not health.healthy:
            timeout = self.p.settings.health_timeout_s
            return self._roll_back(state, health, f"not healthy within {timeout:g} s")
        self.p.reporter.report("healthy", trial.version, slot=trial.slot, **health.as_dict())
        self._end_trial(state, rejected=False)
        clear_downloads(self.downloads, keep=None)
        return Outcome("healthy", trial.version)

    def _roll_back(self, state: UpdaterState, health: Health | None, reason: str) -> Outcome:
        """Back to the previous slot (unless the new version migrated the database past what it can read).

        The trial stays in the state, marked, until the old version is current and restarted: a run stopped
        half-way is finished by the next one instead of leaving the failed version running as if accepted."""
        trial = state.trial
        assert trial is not None
        version, checks = trial.version, (health.as_dict() if health else {})
        previous = trial.previous
        schema_now = schema_version(self.p.db_path)
        if previous is None or self.p.slots.version(previous) is None:
            self._end_trial(state, rejected=True)
            self.p.reporter.report(
                "failed", version, stage="rollback", reason=reason, detail="no previous slot", **checks
            )
            return Outcome("failed", version, "no previous slot to go back to")
        if trial.schema_before is not None and schema_now is not None and schema_now > trial.schema_before:
            # The old code refuses a database newer than it knows: going back would stop the kiosk altogether.
            self._end_trial(state, rejected=True)
            self.p.reporter.report(
                "failed",
                version,
                stage="rollback",
                reason=reason,
                detail="database migrated",
                schema_before=trial.schema_before,
                schema_now=schema_now,
                **checks,
            )
            return Outcome("failed", version, "the new version migrated the database: not rolled back")
        trial.rollback = reason
        save_state(self.state_path, state)
        self.p.slots.switch(previous)
        try:
            self.p.services.restart(UNITS)
        except Exception as exc:
            log.error("restart after the rollback failed: %s", exc)
            self.p.reporter.report("failed", version, stage="rollback", detail=f"restart failed: {str(exc)[-200:]}")
        self._end_trial(state, rejected=True)
        self.p.reporter.report("rolled_back", version, slot=previous, reason=reason, **checks)
        return Outcome("rolled_back", version, reason)

    def _end_trial(self, state: UpdaterState, *, rejected: bool) -> None:
        """Forget the trial; with ``rejected`` remember its version so it is not installed again."""
        trial = state.trial
        assert trial is not None
        if rejected:
            state.rejected = [*(v for v in state.rejected if v != trial.version), trial.version][-20:]
        state.trial = None
        save_state(self.state_path, state)
