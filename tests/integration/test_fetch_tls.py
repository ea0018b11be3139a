"""Feeds over HTTPS: every client shares one TLS context (feeds.security.tls_context), and it
verifies: a server on 127.0.0.1 with a self-signed certificate is refused on every fetch."""
from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from feeds.fetch import FetchLimits, fetch_feed
from feeds.security import guarded_client, tls_context
from schemas import FetchStatus
from tests.sitekit import serve_site

pytestmark = [pytest.mark.network]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture()
def https_url(tmp_path: Path) -> Iterator[str]:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serve_site(tls=context) as site:
        yield site.put("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')


def test_a_self_signed_server_is_refused_by_every_client(https_url):
    limits = FetchLimits(allowed_networks=("127.0.0.0/8",), total_timeout_s=10)
    for _ in range(2):      # the second client reuses the first one's context: it still verifies
        result = fetch_feed(https_url, limits=limits)
        assert result.status is FetchStatus.FAILED
        assert "CERTIFICATE_VERIFY_FAILED" in (result.error or "") or "certificate" in (result.error or "").lower()


def test_clients_share_one_verifying_context():
    assert tls_context() is tls_context()
    assert tls_context().verify_mode is ssl.CERT_REQUIRED and tls_context().check_hostname
    with guarded_client() as a, guarded_client() as b:
        assert a._transport._pool._ssl_context is b._transport._pool._ssl_context is tls_context()
