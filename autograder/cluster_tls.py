"""cluster_tls: the Dask cluster's TLS, so that only the TA's machines are its clients.

A plain ``tcp://`` scheduler accepts any client that reaches it, and a client can run code
on every worker (``Client.run``): read the solutions a worker holds, or patch the grading
function in it. So the cluster path speaks ``tls://`` with mutual authentication:
``python -m autograder cluster-certs DIR`` makes one private key and a self-signed certificate
(the same scheme as ``distributed.security.Security.temporary``, on disk), which the scheduler,
every worker and the TA's grading command present and accept, and nothing else. A client
without them (or with a certificate of its own) cannot complete the handshake.

``check`` refuses a ``tcp://`` scheduler unless the TA passed ``--insecure``, and a ``tls://``
one without the certificate folder (``--tls DIR`` or ``AUTOGRADER_TLS``).
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

ENV = "AUTOGRADER_TLS"
CERT, KEY = "cluster-cert.pem", "cluster-key.pem"
DAYS = 365


def folder(given: str | os.PathLike | None = None) -> Path | None:
    """The certificate folder: the option if given, else the environment variable."""
    chosen = given or os.environ.get(ENV)
    return Path(chosen) if chosen else None


def make(where: str | os.PathLike) -> Path:
    """A new key and certificate in ``where`` (created private; existing files are kept)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    d = Path(where)
    if (d / KEY).exists() or (d / CERT).exists():
        raise SystemExit(f"{d} already holds a cluster certificate: remove it first to make a new one")
    d.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "autograder-cluster")])
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=DAYS))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("autograder-cluster")]), critical=False)
            .sign(key, hashes.SHA256()))
    fd = os.open(d / KEY, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    (d / CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return d


def dask_options(d: Path) -> list[str]:
    """The options of ``dask scheduler`` and ``dask worker`` for the certificate folder ``d``."""
    d = Path(d).resolve()
    return ["--tls-ca-file", str(d / CERT), "--tls-cert", str(d / CERT), "--tls-key", str(d / KEY)]


def security(d: Path):
    """The ``distributed.security.Security`` of the TA's client."""
    from distributed.security import Security
    d = Path(d)
    for f in (CERT, KEY):
        if not (d / f).is_file():
            raise SystemExit(f"no {f} in {d}: make the cluster's certificates with "
                             f"python -m autograder cluster-certs {d}")
    return Security(require_encryption=True, tls_ca_file=str(d / CERT),
                    tls_client_cert=str(d / CERT), tls_client_key=str(d / KEY))


def check(address: str, tls: Path | None, insecure: bool) -> None:
    """Refuse what would hand the workers to anyone who can reach the scheduler."""
    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme == "tls":
        if tls is None:
            raise SystemExit(f"{address} is a TLS scheduler: give its certificate folder with --tls DIR "
                             f"(or {ENV}=DIR); python -m autograder cluster-certs DIR makes one")
        return
    if not insecure:
        raise SystemExit(f"refusing the unencrypted scheduler {address}: anyone who reaches it can run code "
                         "on the workers and change grades. Use tls:// (python -m autograder cluster-certs DIR, "
                         "then --tls DIR), or pass --insecure if every account that can reach it is trusted")


def commands(d: Path) -> str:
    """What the TA runs, for ``cluster-certs`` to print."""
    opts = " ".join(dask_options(d))
    return (f"certificates in {Path(d).resolve()} (copy the folder, privately, to every worker host):\n"
            f"  dask scheduler --protocol tls {opts}\n"
            f"  PYTHONPATH=$PWD dask worker tls://HOST:8786 --nthreads 1 {opts}\n"
            f"  python -m autograder grade SUBMISSIONS --scheduler tls://HOST:8786 --tls {Path(d).resolve()}")
