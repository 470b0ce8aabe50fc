"""``kiosk-provision enroll``: the kiosk's key and CSR for the hall CA; then installing what the CA sent back.

Step 1 (``enroll``) makes the private key on the kiosk (kept if it exists) and writes a CSR whose common name
is the kiosk id. Only the CSR goes to the hall. Step 2 (``enroll --install-cert kiosk.crt --ca ca.crt
--hall-key signing.pub``) checks the certificate belongs to this key and kiosk and was signed by that CA,
installs them with the hall's public signing key (config and catalog updates must carry its signature), points
the config at them, and tries the broker. ``enroll --hall-key signing.pub`` alone installs a new hall key.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.config import Config
from provisioning import pki
from provisioning.broker import check_broker
from provisioning.configfile import update_config
from provisioning.context import CommandError, Context, Owner
from provisioning.output import table
from sync import signing

DESCRIPTION = """\
Step 1:  kiosk-provision enroll
         makes the kiosk's private key (it never leaves the kiosk) and a certificate signing request,
         /etc/kiosk/pki/kiosk.csr. Give the CSR (not the key) to the hall's certificate authority.
Step 2:  kiosk-provision enroll --install-cert kiosk.crt --ca ca.crt --hall-key signing.pub
         installs the signed certificate, the hall CA and the hall's public signing key (the kiosk takes
         config and catalog updates only when signed with it), updates the config, and tries the broker.
Renewing: run step 1 again (the key is kept unless --new-key), then step 2 with the new certificate.
"""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``enroll`` parser."""
    p = sub.add_parser(
        "enroll",
        parents=[common],
        help="make the kiosk's key and CSR; install the signed certificate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--csr-out", metavar="FILE", help="where to write the CSR (default: kiosk.csr beside the key)")
    p.add_argument(
        "--new-key", action="store_true", help="replace the existing key (the old certificate stops working)"
    )
    p.add_argument("--install-cert", metavar="CERT", help="the certificate the hall CA signed for this kiosk")
    p.add_argument("--ca", metavar="CA", help="the hall CA certificate (with --install-cert)")
    p.add_argument(
        "--hall-key", metavar="PUB", help="the hall's public signing key (signing.pub from kiosk-hall pki)"
    )
    p.add_argument("--no-broker-test", action="store_true", help="install without trying the broker")
    p.set_defaults(func=run)


HALL_KEY_NAME = "hall-signing.pub"


def pki_paths(ctx: Context, config: Config) -> tuple[Path, Path, Path]:
    """Key, certificate and CA paths as on the appliance: the config's, else ``pki/`` beside the config file
    (with ``--root``, ``ctx.host`` gives where they are on this machine)."""
    pki_dir = ctx.appliance_config_path.parent / "pki"
    link = config.mqtt
    return (
        Path(link.key_file or pki_dir / "kiosk.key"),
        Path(link.cert_file or pki_dir / "kiosk.crt"),
        Path(link.ca_file or pki_dir / "ca.crt"),
    )


def _pki_dir(path: Path, owner: Owner | None) -> None:
    # root:<service group> 0750: the service can read its certificates but not swap them.
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, pki.PKI_DIR_MODE)
    if owner is not None and os.geteuid() == 0:
        os.chown(path, 0, owner.gid)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Step 1 or step 2, depending on ``--install-cert``."""
    config = ctx.config()
    if args.install_cert:
        if not args.ca:
            raise CommandError("--install-cert needs --ca (the hall CA certificate)", exit_code=2)
        return install_cert(args, ctx, config)
    if args.hall_key:
        return install_hall_key_only(args, ctx, config)
    return make_request(args, ctx, config)


def install_hall_key(ctx: Context, config: Config, source: Path) -> tuple[Path, str]:
    """Check ``source`` is an Ed25519 public key and install it as ``hall-signing.pub`` beside the CA (root's,
    0644: the services read it, none may swap it); where it went and its key id."""
    try:
        data = source.read_bytes()
        public = signing.load_public_key(data, str(source))
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CommandError(f"{exc}: give the signing.pub the hall's kiosk-hall pki made") from None
    _key, _cert, ca_path = pki_paths(ctx, config)
    target = Path(config.mqtt.hall_key_file or ca_path.with_name(HALL_KEY_NAME))
    _pki_dir(ctx.host(target.parent), ctx.owner())
    pki.write_atomic(ctx.host(target), data, mode=pki.PUBLIC_MODE, owner=None)
    return target, signing.key_id(public)


def install_hall_key_only(args: argparse.Namespace, ctx: Context, config: Config) -> int:
    """``enroll --hall-key FILE``: a new hall signing key (the hall rotated it)."""
    target, key_id = install_hall_key(ctx, config, Path(args.hall_key))
    update_config(ctx.config_path, {"mqtt": {"hall_key_file": str(target)}}, owner=ctx.owner())
    result = {"ok": True, "hall_key": str(target), "key_id": key_id}
    ctx.output.emit(result, lambda: f"installed the hall's signing key {key_id} as {target}")
    return 0


def make_request(args: argparse.Namespace, ctx: Context, config: Config) -> int:
    """Key (kept if present) and CSR."""
    owner = ctx.owner(required=True)
    key_path, _cert, _ca = pki_paths(ctx, config)
    key_path = ctx.host(key_path)
    _pki_dir(key_path.parent, owner)
    key, made = pki.load_or_make_key(key_path, owner=owner, new=args.new_key)
    csr = pki.make_csr(key, kiosk_id=config.kiosk.id, hall_id=config.kiosk.hall_id)
    csr_path = Path(args.csr_out) if args.csr_out else key_path.with_name("kiosk.csr")
    pki.write_atomic(csr_path, csr.public_bytes(serialization.Encoding.PEM), mode=pki.PUBLIC_MODE, owner=None)
    fingerprint = pki.public_key_fingerprint(key.public_key())
    result = {
        "ok": True,
        "key": str(key_path),
        "key_made": made,
        "csr": str(csr_path),
        "common_name": config.kiosk.id,
        "fingerprint": fingerprint,
        "owner": owner.user if owner else None,
    }

    who = owner.user if owner else "-"

    def human() -> str:
        return "\n".join(
            [
                f"{'made a new' if made else 'kept the existing'} key {key_path} (0600, owner {who})",
                f"wrote the certificate signing request {csr_path}",
                f"  common name  {config.kiosk.id}",
                f"  fingerprint  {fingerprint}  (read it to the hall when they sign)",
                "next: give the CSR to the hall CA, then:",
                "  kiosk-provision enroll --install-cert kiosk.crt --ca ca.crt --hall-key signing.pub",
            ]
        )

    ctx.output.emit(result, human)
    return 0


def install_cert(args: argparse.Namespace, ctx: Context, config: Config) -> int:
    """Check and install the signed certificate and the CA, point the config at them, try the broker."""
    owner = ctx.owner()
    key_path, cert_path, ca_path = pki_paths(ctx, config)
    if not ctx.host(key_path).is_file():
        raise CommandError(f"no private key at {ctx.host(key_path)}: run 'kiosk-provision enroll' first (step 1)")
    key = serialization.load_pem_private_key(ctx.host(key_path).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CommandError(f"{key_path} is not the EC key enroll makes")
    cert = pki.load_cert(Path(args.install_cert))
    ca_bytes = Path(args.ca).read_bytes() if Path(args.ca).is_file() else b""
    if not ca_bytes:
        raise CommandError(f"no CA certificate at {args.ca}")
    ca = pki.load_cert(Path(args.ca))
    now = _dt.datetime.fromtimestamp(ctx.clock(), _dt.UTC)
    problems = pki.check_cert(cert, ca=ca, key=key, kiosk_id=config.kiosk.id, now=now)
    if problems:
        details = "\n".join(f"  - {p.what}\n    fix: {p.fix}" for p in problems)
        raise CommandError(f"not installed, {args.install_cert} cannot be used:\n{details}")
    _pki_dir(ctx.host(cert_path.parent), owner)
    _pki_dir(ctx.host(ca_path.parent), owner)
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    pki.write_atomic(ctx.host(cert_path), cert_pem, mode=pki.PUBLIC_MODE, owner=None)
    pki.write_atomic(ctx.host(ca_path), ca_bytes, mode=pki.PUBLIC_MODE, owner=None)
    link = {"tls": True, "ca_file": str(ca_path), "cert_file": str(cert_path), "key_file": str(key_path)}
    hall_key = None
    if args.hall_key:
        hall_key, _key_id = install_hall_key(ctx, config, Path(args.hall_key))
        link["hall_key_file"] = str(hall_key)
    config = update_config(ctx.config_path, {"mqtt": link}, owner=owner)
    broker = {"status": "skipped", "detail": "not tried (--no-broker-test)", "fix": ""}
    if ctx.in_image:
        broker["detail"] = f"not tried: installing into {ctx.root}, not onto this machine"
    elif not args.no_broker_test and config.mqtt.enabled:
        check = check_broker(config)
        broker = {"status": "pass" if check.ok else "fail", "detail": check.detail, "fix": check.fix}
    expires = cert.not_valid_after_utc
    result = {
        "ok": broker["status"] != "fail",
        "certificate": str(cert_path),
        "ca": str(ca_path),
        "expires": expires.isoformat(),
        "hall_key": str(hall_key) if hall_key else None,
        "broker": broker,
    }

    def human() -> str:
        return "\n".join(
            [
                f"installed {cert_path} (for {config.kiosk.id}, valid until {expires:%Y-%m-%d}) and {ca_path}",
                f"hall signing key: {hall_key}" if hall_key else
                "no hall signing key (--hall-key signing.pub): config and catalog updates will be refused",
                table(
                    ["check", "result", "detail", "fix"],
                    [["broker", broker["status"].upper(), broker["detail"], broker["fix"]]],
                ),
            ]
        )

    ctx.output.emit(result, human)
    return 0 if result["ok"] else 1
