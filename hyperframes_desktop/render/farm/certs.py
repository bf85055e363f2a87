"""The farm's certificates in one command (``farm-scheduler --make-certs DIR``): a CA, one
certificate for the farm's machines (scheduler and workers) and one for the computers that
submit renders, all signed by that CA, written with the ``cryptography`` package.

Dask's TLS verifies both ends against the CA (not host names), so any machine holding a
certificate of this CA may join the farm or submit renders, and nothing else can. The CA's
key stays where it was made (it only signs); the others are copied to the machines that need
them. Keys are written readable by their owner only.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.options import RenderInputError

CA_DAYS = 10 * 365
CERT_DAYS = 3 * 365


@dataclass(frozen=True)
class FarmCerts:
    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def node(self) -> tuple[Path, Path]:
        return self.folder / "node.pem", self.folder / "node.key"

    @property
    def client(self) -> tuple[Path, Path]:
        return self.folder / "client.pem", self.folder / "client.key"

    def files(self) -> list[Path]:
        return [self.ca, self.ca_key, *self.node, *self.client]


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _name(common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HyperFrames Desktop render farm"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key_usage(ca: bool):
    from cryptography import x509

    flags = dict.fromkeys(
        ("content_commitment", "data_encipherment", "encipher_only", "decipher_only"), False
    )
    return x509.KeyUsage(
        digital_signature=True,
        key_encipherment=not ca,
        key_agreement=not ca,
        key_cert_sign=ca,
        crl_sign=ca,
        **flags,
    )


def _certificate(subject, subject_key, issuer, issuer_key, days: int, ca: bool, usages):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
        .add_extension(_key_usage(ca), True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), False)
    )
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, data: bytes, private: bool) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _pem_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_certs(folder: Path) -> FarmCerts:
    """Write a new farm CA and its node and client certificates into ``folder`` (created if
    needed). Refuses (RenderInputError) to overwrite any of them."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.x509.oid import ExtendedKeyUsageOID
    except ImportError:
        raise RenderInputError(
            "Making certificates needs the 'cryptography' package. Fix: pip install "
            "'hyperframes-desktop[farm]'."
        ) from None
    certs = FarmCerts(Path(folder).expanduser())
    taken = [p for p in certs.files() if p.exists()]
    if taken:
        raise RenderInputError(
            f'"{taken[0]}" already exists: a farm\'s certificates are never overwritten (the '
            "machines using them would be locked out). Fix: choose an empty folder for "
            "--make-certs."
        )
    certs.folder.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca_name = _name("HyperFrames Desktop farm CA")
    ca = _certificate(ca_name, ca_key, ca_name, ca_key, CA_DAYS, True, None)
    both = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    pem = serialization.Encoding.PEM
    _write(certs.ca_key, _pem_key(ca_key), private=True)
    _write(certs.ca, ca.public_bytes(pem), private=False)
    for (cert_path, key_path), common in ((certs.node, "farm node"), (certs.client, "client")):
        key = _key()
        cert = _certificate(_name(common), key, ca_name, ca_key, CERT_DAYS, False, both)
        _write(key_path, _pem_key(key), private=True)
        _write(cert_path, cert.public_bytes(pem), private=False)
    return certs


def next_steps(certs: FarmCerts) -> str:
    """What to do with the files, printed by ``--make-certs``."""
    d = certs.folder
    return f"""Wrote the farm's certificates to {d}:
  ca.pem               the farm's CA certificate: every machine needs it
  ca.key               the CA's key: keep it here, private (it signs, nobody else needs it)
  node.pem, node.key   for the scheduler and the workers
  client.pem, client.key  for the computers that submit renders
Scheduler (this machine):
  hyperframes-desktop farm-scheduler --host 0.0.0.0 --farm-ca {d}/ca.pem --farm-cert {d}/node.pem --farm-key {d}/node.key
Each worker (copy ca.pem, node.pem, node.key there):
  hyperframes-desktop farm-worker tls://SCHEDULER-HOST:8786 --farm-ca ca.pem --farm-cert node.pem --farm-key node.key
Each computer that renders (copy ca.pem, client.pem, client.key there):
  hyperframes-desktop render PROJECT --farm tls://SCHEDULER-HOST:8786 --farm-ca ca.pem --farm-cert client.pem --farm-key client.key"""  # noqa: E501
