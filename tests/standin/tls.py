"""A throw-away self-signed certificate for the stand-in's HTTPS mode.

No public CA signed it, so a client that checks certificates (as the verifier must) fails
the handshake: that is the point of the HTTPS mode. Tests that need the handshake to succeed
pass ``verify=standin.certificate_path`` to requests.
"""
import datetime
import functools
import ipaddress
from pathlib import Path
from typing import Tuple


@functools.lru_cache(maxsize=None)
def certificate_pem() -> Tuple[bytes, bytes]:
    """(certificate, private key) in PEM for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'upstash-standin.test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return (certificate.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def write_certificate(directory: Path) -> Tuple[Path, Path]:
    certificate, key = certificate_pem()
    directory.mkdir(parents=True, exist_ok=True)
    certificate_path, key_path = directory / 'standin-cert.pem', directory / 'standin-key.pem'
    certificate_path.write_bytes(certificate)
    key_path.write_bytes(key)
    key_path.chmod(0o600)
    return certificate_path, key_path
