"""The network's signing key and the Open Badges 3.0 credentials it signs: a W3C Verifiable
Credential (an OpenBadgeCredential) secured as a compact JWS (VC-JWT, RS256), the
credential's members at the top of the payload beside the registered claims (iss, jti, nbf).
Verification trusts only the network's own key, never a key a token carries."""

import hashlib
import json
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk, jws
from jwcrypto.common import JWException, json_encode

ALGORITHM = "RS256"
KEY_BITS = 2048
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

_lock = threading.Lock()
_keys: dict[str, jwk.JWK] = {}


class InvalidCredential(Exception):
    """The token is not one the network signed, or it was changed after signing."""


def new_key_json() -> str:
    """A new private key, as CREDENTIAL_SIGNING_KEY takes it."""
    key = jwk.JWK.generate(kty="RSA", size=KEY_BITS)
    return key.export_private()


def _key_from_file(path: Path) -> jwk.JWK:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(new_key_json())
    return jwk.JWK.from_json(path.read_text(encoding="utf-8"))


def _load_key() -> jwk.JWK:
    if settings.CREDENTIAL_SIGNING_KEY:
        try:
            key = jwk.JWK.from_json(settings.CREDENTIAL_SIGNING_KEY)
        except (ValueError, JWException) as error:
            raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEY is not a JWK") from error
    elif settings.CREDENTIAL_KEY_FILE:
        key = _key_from_file(Path(settings.CREDENTIAL_KEY_FILE))
    else:  # the test settings: one key for the run, kept in memory
        key = jwk.JWK.generate(kty="RSA", size=KEY_BITS)
    if not key.has_private or key.get("kty") != "RSA":
        raise ImproperlyConfigured("The credential key must be a private RSA key (RS256)")
    return key


def signing_key() -> jwk.JWK:
    source = f"{settings.CREDENTIAL_SIGNING_KEY[:16]}|{settings.CREDENTIAL_KEY_FILE}"
    with _lock:
        if source not in _keys:
            _keys[source] = _load_key()
        return _keys[source]


def public_jwk() -> dict:
    key = signing_key()
    public = json.loads(key.export_public())
    return public | {"kid": key.thumbprint(), "use": "sig", "alg": ALGORITHM}


def identity_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(8)


def sign(payload: dict) -> str:
    key = signing_key()
    token = jws.JWS(json_encode(payload).encode("utf-8"))
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": key.thumbprint(), "jwk": public_jwk()}
    token.add_signature(key, alg=ALGORITHM, protected=json_encode(header))
    return token.serialize(compact=True)


def verify(token: str) -> dict:
    """The payload of a token the network's key signed; InvalidCredential otherwise."""
    token = token.strip()
    if token.count(".") != 2:
        raise InvalidCredential("not a compact JWS")
    checked = jws.JWS()
    try:
        checked.deserialize(token)
        checked.verify(signing_key(), alg=ALGORITHM)
        payload = json.loads(checked.payload)
    except (JWException, ValueError, TypeError) as error:
        raise InvalidCredential("the signature does not match") from error
    if not isinstance(payload, dict) or "OpenBadgeCredential" not in payload.get("type", []):
        raise InvalidCredential("not an Open Badges credential")
    return payload
