"""Ed25519 signatures over journal heads, so an outsider can check a log came from this server unchanged.

What is signed (docs/audit.md states the same): the UTF-8 bytes of the canonical JSON of
``{"purpose": "dieetveiling journal head v1", "stream": <auction id>, "seq": <n>, "hash": <entry hash>}``.
Keys and signatures travel as lower-case hex (32-byte public key, 64-byte signature).
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qualification.common.canonical import canonical_json

PURPOSE = "dieetveiling journal head v1"


def head_message(stream: str, seq: int, entry_hash: str) -> bytes:
    return canonical_json({"purpose": PURPOSE, "stream": stream, "seq": seq, "hash": entry_hash}).encode("utf-8")


class Signer:
    """The server's signing key, kept in a file beside the database (created by ``auction init``)."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_key = raw.hex()

    @classmethod
    def create(cls, path: Path) -> Signer:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
        return cls(key)

    @classmethod
    def load(cls, path: Path) -> Signer:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return cls(key)

    def sign_head(self, stream: str, seq: int, entry_hash: str) -> str:
        return self._key.sign(head_message(stream, seq, entry_hash)).hex()


def verify_head(public_key: str, stream: str, seq: int, entry_hash: str, signature: str) -> bool:
    """True when ``signature`` is the key's signature over that journal head."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), head_message(stream, seq, entry_hash))
    except (InvalidSignature, ValueError):
        return False
    return True
