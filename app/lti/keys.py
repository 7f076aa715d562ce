"""The keys: the tool's own RSA key (BACKPROP_VIZ_LTI_PRIVATE_KEY), published as a key set for
platforms to verify the tool's messages, and the platforms' key sets, fetched and cached.

Signatures are PyJWT's (with cryptography): no signature code here."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from jwt.algorithms import RSAAlgorithm

# A platform's key set is fetched again after this long even when every kid is known, so
# that a key the platform withdrew stops being trusted.
KEY_SET_MAX_AGE = 3600.0
# Tokens naming kids the platform does not have would each cost a fetch of its key set:
# at most this many such fetches a minute per platform, then such tokens are refused.
REFETCHES_PER_MINUTE = 10
FETCH_TIMEOUT = 5.0


class ToolKey:
    """The tool's RSA key: signs client assertions and deep-linking responses (RS256), and
    derives the secret of the tool's own short tokens (app/lti/tokens.py), so that every
    replica holding the same PEM reads every other replica's tokens."""

    def __init__(self, private_key: RSAPrivateKey) -> None:
        self.private_key = private_key
        public = private_key.public_key()
        # The key's public members only (PyJWT adds key_ops, which some platforms refuse).
        whole = json.loads(RSAAlgorithm.to_jwk(public))
        self.public_jwk: dict[str, Any] = {k: whole[k] for k in ("kty", "n", "e")}
        self.kid = _thumbprint(self.public_jwk)
        self.public_jwk |= {"kid": self.kid, "alg": "RS256", "use": "sig"}
        der = private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.secret = hmac.new(b"backprop-viz lti tokens", der, hashlib.sha256).digest()

    @classmethod
    def from_pem(cls, path: str | Path) -> ToolKey:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ValueError(f"BACKPROP_VIZ_LTI_PRIVATE_KEY: cannot read {path}: {exc}") from None
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"BACKPROP_VIZ_LTI_PRIVATE_KEY: {path}: {exc}") from None
        if not isinstance(key, RSAPrivateKey) or key.key_size < 2048:
            raise ValueError(
                f"BACKPROP_VIZ_LTI_PRIVATE_KEY: {path} is not an RSA key of ≥ 2048 bits"
            )
        return cls(key)

    def key_set(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}

    def sign(self, claims: Mapping[str, Any]) -> str:
        return jwt.encode(
            dict(claims), self.private_key, algorithm="RS256", headers={"kid": self.kid}
        )


def _thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, base64url."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return jwt.utils.base64url_encode(digest).decode()


class KeySetError(Exception):
    """The platform's key set could not be had (unreachable, not a key set)."""


class PlatformKeys:
    """Each platform's key set by URL, cached; fetched again once when a token names a kid it
    does not hold (a platform rotating its keys), and after KEY_SET_MAX_AGE."""

    def __init__(
        self,
        client: Callable[[], httpx.AsyncClient] = lambda: httpx.AsyncClient(timeout=FETCH_TIMEOUT),
    ) -> None:
        self._client = client
        self._sets: dict[str, tuple[float, dict[str, RSAPublicKey]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._refetched: dict[str, list[float]] = {}

    async def key(self, url: str, kid: str) -> RSAPublicKey | None:
        cached = self._sets.get(url)
        if cached and cached[0] > time.monotonic() and kid in cached[1]:
            return cached[1][kid]
        lock = self._locks.setdefault(url, asyncio.Lock())
        async with lock:
            again = self._sets.get(url)
            if again is not cached and again is not None and kid in again[1]:
                return again[1][kid]  # fetched meanwhile by another launch
            if again is not None and again[0] > time.monotonic():
                now = time.monotonic()
                recent = [t for t in self._refetched.get(url, []) if t > now - 60]
                if len(recent) >= REFETCHES_PER_MINUTE:
                    return None
                self._refetched[url] = [*recent, now]
            keys = await self._fetch(url)
            self._sets[url] = (time.monotonic() + KEY_SET_MAX_AGE, keys)
            return keys.get(kid)

    async def _fetch(self, url: str) -> dict[str, RSAPublicKey]:
        try:
            async with self._client() as client:
                answer = await client.get(url, headers={"accept": "application/json"})
                answer.raise_for_status()
                data = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise KeySetError(f"{url}: {exc}") from None
        keys: dict[str, RSAPublicKey] = {}
        for jwk in data.get("keys", []) if isinstance(data, dict) else []:
            if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or "kid" not in jwk:
                continue
            try:
                key = RSAAlgorithm.from_jwk(jwk)
            except (jwt.InvalidKeyError, ValueError, KeyError):
                continue
            if isinstance(key, RSAPublicKey):
                keys[str(jwk["kid"])] = key
        return keys
