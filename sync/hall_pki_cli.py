"""``kiosk-hall pki ...`` and ``kiosk-hall broker-config``: the hall's certificates and its broker's files.

    kiosk-hall pki init-ca --hall-id ordos-kbs          # the CA, an empty CRL, the broker-admin certificate
    kiosk-hall pki issue-broker hall-broker.local       # the broker's certificate (CN and SAN: its host name)
    kiosk-hall pki issue-hall hall-1                    # one per `kiosk-hall run` instance (--instance 1)
    kiosk-hall broker-config --hall-id ordos-kbs --out /etc/kiosk-hall/broker   # mosquitto.conf + dynsec rules
    kiosk-hall pki sign-kiosk kiosk.csr --broker hall-broker.local:8883          # and register it live
    kiosk-hall pki revoke KSK-0007 --broker hall-broker.local:8883               # CRL + removed from the broker
    kiosk-hall pki signing-key                          # the key that signs config and catalog updates
    kiosk-hall pki crl | list

The CA lives in ``--pki`` (default /etc/kiosk-hall/pki, see ``sync/hall_pki.py``). ``--broker HOST:PORT``
applies a change to the running broker at once (as the admin certificate); without it, run broker-config again
and restart mosquitto.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync.broker import dynsec
from sync.broker.generate import BrokerSettings, write_broker_config
from sync.hall_pki import HallPki, PkiError

DEFAULT_PKI = Path("/etc/kiosk-hall/pki")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``pki`` and ``broker-config`` to the ``kiosk-hall`` parser."""
    pki = sub.add_parser("pki", help="the hall's certificate authority")
    pki_sub = pki.add_subparsers(dest="pki_cmd", required=True)

    def common(sp: argparse.ArgumentParser, *, live: bool = False) -> None:
        sp.add_argument("--pki", type=Path, default=DEFAULT_PKI, help=f"the CA directory (default {DEFAULT_PKI})")
        if live:
            sp.add_argument("--broker", metavar="HOST:PORT", help="apply the change to this running broker now")
            sp.add_argument("--root", default="gov/v1", help="topic root (mqtt.topic_root)")

    sp = pki_sub.add_parser("init-ca", help="make the hall CA, an empty CRL and the broker-admin certificate")
    common(sp)
    sp.add_argument("--hall-id", required=True, help="the hall id (kiosk.hall_id of its kiosks)")
    sp.add_argument("--identity", default="hall", help="the hall's identity (mqtt.hall_identity of its kiosks)")
    sp = pki_sub.add_parser("sign-kiosk", help="sign a kiosk's CSR (from kiosk-provision enroll)")
    common(sp, live=True)
    sp.add_argument("csr", type=Path)
    sp.add_argument("--out", type=Path, help="where to write the certificate (default: issued/<kiosk>.crt)")
    sp.add_argument("--days", type=int, default=730)
    sp = pki_sub.add_parser("issue-hall", help="key and certificate for a hall instance (<identity>-<instance>)")
    common(sp, live=True)
    sp.add_argument("name", help="e.g. hall-1 (run it with kiosk-hall run --instance 1)")
    sp = pki_sub.add_parser("issue-broker", help="key and certificate for the broker")
    common(sp)
    sp.add_argument("host", help="the name (or IP address) kiosks connect to")
    sp.add_argument("--also", action="append", default=[], help="another name or IP address of the broker")
    sp = pki_sub.add_parser("revoke", help="revoke a kiosk's (or hall instance's) certificates")
    common(sp, live=True)
    sp.add_argument("cn", metavar="KIOSK_ID")
    sp = pki_sub.add_parser("signing-key", help="make the key that signs config and catalog updates (kept if there)")
    common(sp)
    sp = pki_sub.add_parser("crl", help="write the CRL again")
    common(sp)
    sp = pki_sub.add_parser("list", help="every certificate issued")
    common(sp)

    bc = sub.add_parser("broker-config", help="write mosquitto.conf and the dynamic-security rules for this hall")
    bc.add_argument("--pki", type=Path, default=DEFAULT_PKI)
    bc.add_argument("--hall-id", required=True, help="must be the CA's hall id")
    bc.add_argument("--out", type=Path, required=True, help="directory for mosquitto.conf and dynamic-security.json")
    bc.add_argument("--root", default="gov/v1", help="topic root (mqtt.topic_root)")
    bc.add_argument("--port", type=int, default=8883)
    bc.add_argument("--bind", default="", help="listen on this address only")
    bc.add_argument("--state-dir", type=Path, default=Path("/var/lib/mosquitto"), help="persistence directory")
    bc.add_argument("--user", default="mosquitto", help="the user mosquitto runs as (root: stay root)")
    bc.add_argument("--log-dest", default="syslog", help="mosquitto log_dest (e.g. 'file /var/log/x.log')")
    bc.add_argument("--plugin", type=Path, help="mosquitto_dynamic_security.so (default: found)")
    bc.add_argument("--broker-name", help="which broker certificate, if the CA issued several")


def _live(args: argparse.Namespace, pki: HallPki, commands: list[dict]) -> str:
    if not args.broker:
        return "not applied to a running broker (--broker HOST:PORT); or run broker-config again and restart it"
    host, sep, port = args.broker.rpartition(":")
    if not sep or not port.isdigit():
        raise PkiError(f"--broker {args.broker!r}: expected HOST:PORT")
    admin = pki.issued(pki.admin_name)
    link = dynsec.AdminLink(host, int(port), pki.ca_path, admin.cert, admin.key)
    dynsec.DynsecAdmin(link).run(commands)
    return f"applied on the broker {args.broker}"


def run(args: argparse.Namespace) -> int:
    """Run a ``pki`` or ``broker-config`` command; the exit status."""
    try:
        if args.cmd == "broker-config":
            return _broker_config(args)
        if args.pki_cmd == "init-ca":
            pki = HallPki.create(args.pki, hall_id=args.hall_id, identity=args.identity)
            print(f"made the CA of hall {pki.hall_id} in {pki.directory} (ca.key 0600: keep it on this machine)")
            print(f"give kiosks {pki.ca_path} and {pki.signing_public_path}; the broker loads {pki.crl_path}")
            return 0
        pki = HallPki.open(args.pki)
        if args.pki_cmd == "sign-kiosk":
            kiosk, path = pki.sign_kiosk(args.csr.read_bytes(), days=args.days, out=args.out)
            print(f"signed {kiosk}: {path}")
            print(_live(args, pki, dynsec.register_kiosk(args.root, pki.hall_id, kiosk)))
            print(
                f"on the kiosk: kiosk-provision enroll --install-cert {path.name} --ca {pki.ca_path.name} "
                f"--hall-key {pki.signing_public_path.name}"
            )
        elif args.pki_cmd == "issue-hall":
            issued = pki.issue_hall(args.name)
            print(f"issued {args.name}: {issued.cert}, key {issued.key} (0600)")
            print(_live(args, pki, dynsec.register_hall(args.root, pki.hall_id, args.name)))
        elif args.pki_cmd == "issue-broker":
            issued = pki.issue_broker(args.host, also=tuple(args.also))
            print(f"issued the broker certificate for {', '.join([args.host, *args.also])}: {issued.cert}")
        elif args.pki_cmd == "revoke":
            revoked = pki.revoke(args.cn)
            if not revoked:
                raise PkiError(f"no valid certificate of {args.cn!r} to revoke")
            print(f"revoked {len(revoked)} certificate(s) of {args.cn}; CRL {pki.crl_path}")
            print(_live(args, pki, dynsec.unregister(args.cn)))
            print("reload the broker so it reads the CRL: systemctl reload mosquitto (or kill -HUP its pid)")
        elif args.pki_cmd == "signing-key":
            key_id = pki.make_signing_key()
            print(f"signing key {key_id}: {pki.signing_key_path} (0600); kiosks get {pki.signing_public_path}")
        elif args.pki_cmd == "crl":
            print(f"wrote {pki.write_crl()}")
        elif args.pki_cmd == "list":
            for e in pki.entries():
                state = f"revoked {e.revoked_at}" if e.revoked_at else ("valid" if e.active else "expired")
                print(f"{e.serial:040x}  {e.role:6}  {e.cn:24}  until {e.not_after}  {state}")
        return 0
    except (PkiError, dynsec.DynsecError, OSError) as exc:
        print(f"kiosk-hall: {exc}", file=sys.stderr)
        return 1


def _broker_config(args: argparse.Namespace) -> int:
    pki = HallPki.open(args.pki)
    if pki.hall_id != args.hall_id:
        raise PkiError(f"--hall-id {args.hall_id!r}, but the CA in {args.pki} is for hall {pki.hall_id!r}")
    settings = BrokerSettings(
        port=args.port,
        bind=args.bind,
        state_dir=args.state_dir,
        user=args.user,
        log_dest=args.log_dest,
        plugin=args.plugin,
        topic_root=args.root,
    )
    written = write_broker_config(pki, args.out, settings, broker=args.broker_name)
    print(f"wrote {written.conf} and {written.dynsec}")
    halls = ", ".join(written.halls) or "none"
    print(f"  broker {written.broker}; hall instances: {halls}; kiosks: {len(written.kiosks)}")
    print(f"start it: mosquitto -c {written.conf}   (after a change: restart it)")
    return 0
