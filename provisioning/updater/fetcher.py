"""HTTPS downloads for the TUF client with the kiosk's own certificate (mutual TLS).

The hall's update server only answers kiosks with a certificate from the hall's CA (the one ``kiosk-provision
enroll`` installed), and the kiosk only talks to a server whose certificate that CA issued. TUF checks what is
downloaded; TLS keeps the fleet's traffic private and the server closed to strangers.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

log = logging.getLogger(__name__)


class MutualTLSFetcher(FetcherInterface):
    """A ``FetcherInterface`` over one urllib3 pool that verifies the server against ``ca_file`` and presents
    ``cert_file``/``key_file``."""

    def __init__(
        self,
        *,
        ca_file: Path,
        cert_file: Path,
        key_file: Path,
        timeout_s: float = 30.0,
        chunk_size: int = 256 * 1024,
        user_agent: str = "kiosk-update",
    ) -> None:
        for label, path in (("CA", ca_file), ("certificate", cert_file), ("key", key_file)):
            if not Path(path).is_file():
                raise FileNotFoundError(f"no {label} file at {path} (kiosk-provision enroll installs it)")
        self._pool = urllib3.PoolManager(
            cert_reqs="CERT_REQUIRED",
            ca_certs=str(ca_file),
            cert_file=str(cert_file),
            key_file=str(key_file),
            ssl_minimum_version=ssl.TLSVersion.TLSv1_2,
            headers={"User-Agent": user_agent},
            retries=urllib3.Retry(total=2, backoff_factor=0.5, raise_on_status=False),
        )
        self._timeout = urllib3.Timeout(connect=timeout_s, read=timeout_s)
        self._chunk_size = chunk_size

    def _fetch(self, url: str) -> Iterator[bytes]:
        if not url.startswith("https://"):
            raise exceptions.DownloadError(f"refusing a non-HTTPS URL: {url}")
        try:
            response = self._pool.request("GET", url, preload_content=False, timeout=self._timeout)
        except urllib3.exceptions.MaxRetryError as exc:
            if isinstance(exc.reason, urllib3.exceptions.TimeoutError):
                raise exceptions.SlowRetrievalError(f"timed out fetching {url}") from exc
            raise exceptions.DownloadError(f"cannot fetch {url}: {exc.reason}") from exc
        if response.status >= 400:
            response.release_conn()
            raise exceptions.DownloadHTTPError(f"HTTP {response.status} for {url}", response.status)
        return self._chunks(response)

    def _chunks(self, response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
        try:
            yield from response.stream(self._chunk_size)
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError("the server stopped sending") from exc
        finally:
            response.release_conn()

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.clear()
