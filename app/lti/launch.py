"""The launch (LTI 1.3 core, the id_token the platform posts to /lti/launch): every check of
the specification, each refusal with a code (for tests and metrics), an HTTP status and
words a teacher can act on.

The order matters only for which of several faults is named first; nothing is recorded
(the nonce is marked used) until every check has passed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import jwt

from app.lti.keys import KeySetError, PlatformKeys
from app.lti.registration import Registration

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
MESSAGE_TYPES = (RESOURCE_LINK, DEEP_LINKING)
# Clocks of platform and tool differ a little.
LEEWAY = 60


class RefusedError(Exception):
    """A launch this tool does not accept: `code` names the check, `detail` says it to a
    teacher or an administrator."""

    def __init__(self, code: str, status: int, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Launch:
    registration: Registration
    claims: dict[str, Any]
    message_type: str
    deployment_id: str
    sub: str
    custom: dict[str, str] = field(default_factory=dict)

    def claim(self, name: str) -> Any:
        return self.claims.get(LTI + name)

    @property
    def resource_link_id(self) -> str:
        link = self.claim("resource_link")
        return str(link.get("id", "")) if isinstance(link, dict) else ""

    @property
    def lineitem(self) -> str | None:
        ags = self.claims.get(AGS)
        item = ags.get("lineitem") if isinstance(ags, dict) else None
        return item if isinstance(item, str) and item else None

    @property
    def presentation(self) -> dict[str, Any]:
        p = self.claim("launch_presentation")
        return p if isinstance(p, dict) else {}

    @property
    def deep_linking(self) -> dict[str, Any]:
        s = self.claims.get(DL + "deep_linking_settings")
        return s if isinstance(s, dict) else {}


class UsedNonces:
    """The nonces of launches accepted, until the login that issued them expires: the same
    id_token posted again is refused. In this process; see docs/lti.md for replicas."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def __contains__(self, nonce: str) -> bool:
        return self._until.get(nonce, 0.0) > time.time()

    def add(self, nonce: str, until: float) -> None:
        now = time.time()
        if len(self._until) > 1024:
            self._until = {n: t for n, t in self._until.items() if t > now}
        self._until[nonce] = until


async def validate(
    id_token: str,
    *,
    registration: Registration,
    nonce: str,
    keys: PlatformKeys,
    used: UsedNonces,
) -> Launch:
    """The launch in `id_token`, for the login whose registration and nonce are given, or
    RefusedError. The caller marks the nonce used once it has opened the launch, so that a
    refusal changes nothing."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise RefusedError(
            "bad_token", 400, "The platform sent an id_token that is not a signed JWT."
        ) from None
    if header.get("alg") != "RS256":
        raise RefusedError(
            "alg_not_allowed",
            401,
            f"The id_token is signed with {header.get('alg')!r}; LTI 1.3 launches must be "
            "signed with RS256 by the platform's key.",
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise RefusedError("unknown_kid", 401, "The id_token names no key (kid) of the platform.")
    try:
        key = await keys.key(registration.key_set_url, kid)
    except KeySetError:
        raise RefusedError(
            "key_set_unreachable",
            502,
            f"The platform's public key set at {registration.key_set_url} could not be read. "
            "Check the key set URL in this tool's registration.",
        ) from None
    if key is None:
        raise RefusedError(
            "unknown_kid",
            401,
            f"The id_token is signed with key {kid!r}, which is not in the platform's key set "
            f"({registration.key_set_url}), even fetched again.",
        )
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=["RS256"],
            audience=registration.client_id,
            issuer=registration.issuer,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.InvalidSignatureError:
        raise RefusedError(
            "bad_signature", 401, "The id_token's signature does not match the platform's key."
        ) from None
    except jwt.ExpiredSignatureError:
        raise RefusedError(
            "expired",
            401,
            "The launch has expired (its id_token is past its exp). Open the link from the "
            "course again; if it keeps happening, check the platform's clock.",
        ) from None
    except jwt.ImmatureSignatureError:
        raise RefusedError(
            "not_yet_valid",
            401,
            "The launch is dated in the future (iat or nbf): the platform's clock and this "
            "server's differ by more than a minute.",
        ) from None
    except jwt.InvalidIssuerError:
        raise RefusedError(
            "wrong_issuer",
            403,
            f"The id_token comes from another issuer than the one the login began with "
            f"({registration.issuer}).",
        ) from None
    except jwt.InvalidAudienceError:
        raise RefusedError(
            "wrong_audience",
            403,
            f"The id_token is meant for another tool: its aud does not hold this tool's client "
            f"id {registration.client_id!r} for {registration.issuer}.",
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        raise RefusedError(
            "missing_claim", 400, f"The id_token has no {exc.claim!r} claim."
        ) from None
    except jwt.PyJWTError as exc:
        raise RefusedError("bad_token", 400, f"The id_token could not be read: {exc}.") from None

    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != registration.client_id:
        raise RefusedError(
            "wrong_audience",
            403,
            f"The id_token names several audiences and its azp is not this tool's client id "
            f"{registration.client_id!r}.",
        )
    given_nonce = claims.get("nonce")
    if not isinstance(given_nonce, str) or given_nonce != nonce:
        raise RefusedError(
            "bad_nonce",
            401,
            "The id_token's nonce is not the one this tool issued when this login began. "
            "Open the link from the course again.",
        )
    if nonce in used:
        raise RefusedError(
            "nonce_used",
            401,
            "This launch has been used already: each launch opens once. Open the link from "
            "the course again.",
        )
    if claims.get(LTI + "version") != "1.3.0":
        raise RefusedError(
            "bad_version",
            400,
            f"The launch is LTI version {claims.get(LTI + 'version')!r}; this tool speaks 1.3.0.",
        )
    message_type = claims.get(LTI + "message_type")
    if message_type not in MESSAGE_TYPES:
        raise RefusedError(
            "bad_message_type",
            400,
            f"The launch's message type is {message_type!r}; this tool handles "
            f"{' and '.join(MESSAGE_TYPES)}.",
        )
    deployment = claims.get(LTI + "deployment_id")
    if deployment not in registration.deployment_ids:
        raise RefusedError(
            "unknown_deployment",
            403,
            f"The deployment {deployment!r} of {registration.issuer} is not registered with "
            "this tool. Add its deployment id to the registration (BACKPROP_VIZ_LTI_PLATFORMS).",
        )
    custom = claims.get(LTI + "custom") or {}
    if not isinstance(custom, dict):
        raise RefusedError("bad_custom", 400, "The launch's custom parameters are not an object.")
    launch = Launch(
        registration=registration,
        claims=claims,
        message_type=message_type,
        deployment_id=deployment,
        sub=str(claims["sub"]),
        custom={str(k): str(v) for k, v in custom.items()},
    )
    if message_type == RESOURCE_LINK and not launch.resource_link_id:
        raise RefusedError("missing_claim", 400, "The launch has no resource_link id.")
    if message_type == DEEP_LINKING and not isinstance(
        launch.deep_linking.get("deep_link_return_url"), str
    ):
        raise RefusedError(
            "missing_claim", 400, "The deep-linking request has no deep_link_return_url."
        )
    return launch
