"""The REST API, version 1, mounted at /api/v1/ (docs/api.md is the contract).

This root module joins what the apps offer: each app's `api.py` holds its router, written with
the helpers of `common.api`; here are the API object, who is asking (a bearer token, or nobody
for the public reads), the rate limits per token and per address, the language of the labels,
and the one translation of every error into RFC 9457 problem details. Reads are public; writes
need a token with the write scope, and then the services check what its owner may do, as on
the web.
"""

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from coalition.accounts.models import ApiToken
from coalition.accounts.services import api_token_authenticate
from coalition.accounts.throttle import client_address
from coalition.common.api import PROBLEM_TYPE, NotModified, problem_response

LANGUAGES = ("en", "fr")


class Anonymous:
    """Who asks when no token is sent: the public, limited per address."""

    scope = None
    user = None

    def __bool__(self) -> bool:
        return True


ANONYMOUS = Anonymous()


def _language_activate(request: HttpRequest) -> None:
    """`?lang=en|fr` for the labels of this answer (default English, whatever the browser says):
    an integrator's results should not change with the machine that runs the script."""
    language = request.GET.get("lang", "en") or "en"
    if language not in LANGUAGES:
        translation.activate("en")
        raise ValidationError({"lang": _("Choose one of: %(choices)s.") % {"choices": ", ".join(LANGUAGES)}})
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _has_nul(request: HttpRequest) -> bool:
    """Whether a JSON body carries a NUL character (raw or escaped); form bodies were already
    read, and checked, by the middleware."""
    try:
        body = request.body
    except RawPostDataException:
        return False
    return b"\x00" in body or b"\\u0000" in body.lower()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. For reads (`required=False`) no header is the public;
    a header with an unknown, revoked or expired token is refused either way (401), so a
    mistake never passes silently as anonymous. Writes also need the write scope (403)."""

    def __init__(self, *, required: bool, write: bool = False):
        super().__init__()
        self.required, self.write = required, write

    def __call__(self, request: HttpRequest):
        _language_activate(request)
        header = request.headers.get("Authorization", "")
        if not header.strip():
            if self.required:
                return None
            request.api_token = None
            return ANONYMOUS
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        if self.write and _has_nul(request):
            # What the pages' RefuseNulCharactersMiddleware does for forms, for JSON bodies.
            raise ValidationError({"detail": _("The request contains a NUL character, which no field accepts.")})
        found = api_token_authenticate(token)
        if found is None:
            raise AuthenticationError(message="token")
        if self.write and found.scope != ApiToken.Scope.WRITE:
            raise PermissionDenied(_("This token may only read. Create a token with the write scope on your account page."))
        request.api_token = found
        request.user = found.user
        return found


read_auth = TokenAuth(required=False)
write_auth = TokenAuth(required=True, write=True)


def _rate(text: str) -> tuple[int, int]:
    """"120/min" → (120 requests, 60 seconds); 0 requests turns the limit off."""
    count, _slash, period = text.partition("/")
    seconds = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
               "d": 86400, "day": 86400}[period.strip() or "min"]
    return int(count), seconds


class ApiThrottle(BaseThrottle):
    """A fixed window per token (API_RATE_PER_TOKEN) or, without a token, per client address
    (API_RATE_PER_ADDRESS, the address as the sign-in limits read it), counted in the shared
    "throttle" cache. Settings are read on every request, so they can change without a restart."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is not None:
            key, rate = f"api-rate:token:{token.pk}", settings.API_RATE_PER_TOKEN
        else:
            key, rate = f"api-rate:address:{client_address(request)}", settings.API_RATE_PER_ADDRESS
        count, seconds = _rate(rate)
        if count <= 0:
            return True
        now = time.time()
        window = int(now // seconds)
        cache, key = caches["throttle"], f"{key}:{window}"
        cache.add(key, 0, timeout=seconds + 5)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 5)
            used = 1
        request.api_wait = (window + 1) * seconds - now
        return used <= count

    def wait(self):
        return None  # Retry-After is set by the exception handler, from the request


class CoalitionAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """ninja's document, with what it cannot say itself: errors are problem+json; reads may
        be called without a token; every operation takes `lang`."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for method, operation in path.items():
                for status, answer in operation.get("responses", {}).items():
                    if str(status).startswith(("4", "5")) and "content" in answer:
                        answer["content"] = {PROBLEM_TYPE: answer["content"]["application/json"]}
                if method == "get":
                    operation["security"] = [*operation.get("security", []), {}]
                operation.setdefault("parameters", []).append({
                    "in": "query", "name": "lang", "required": False,
                    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
                    "description": "Language of the labels in the answer.",
                })
        return schema


api = CoalitionAPI(
    title="Coalition API",
    version="1",
    description="The registry of pledges, the connectivity indicators, the action plan and the good-practice "
    "library, as of any date. Reads are public; writes need a token with the write scope. See docs/api.md.",
    urls_namespace="api",
    auth=read_auth,
    throttle=[ApiThrottle()],
    docs=Swagger(settings={"validatorUrl": None}),
)


def _fields_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {("detail" if field == "__all__" else field): list(messages) for field, messages in error.message_dict.items()}
    return {"detail": list(error.messages)}


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    errors = _fields_of(error)
    lines = [message for messages in errors.values() for message in messages]
    return problem_response(request, status=400, title=_("The request is not valid."), detail=" ".join(lines), errors=errors)


@api.exception_handler(NinjaValidationError)
def _malformed(request, error: NinjaValidationError):
    """Parameters or a body of the wrong shape: 400 like every bad input (docs/api.md), each
    field named by its path without the part it came in (`limit`, `targets.0.unit`)."""
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("query", "body", "path", "payload")]
        errors.setdefault(".".join(location) or "detail", []).append(item.get("msg", ""))
    lines = [f"{field}: {messages[0]}" for field, messages in errors.items()]
    return problem_response(request, status=400, title=_("The request is not valid."), detail=" ".join(lines), errors=errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, error: PermissionDenied):
    detail = str(error) or _("You may not do this.")
    return problem_response(request, status=403, title=_("Forbidden."), detail=detail)


@api.exception_handler(Http404)
def _not_found(request, error):
    return problem_response(request, status=404, title=_("Not found."), detail=_("Nothing here by this name or number."))


api.add_exception_handler(ObjectDoesNotExist, _not_found)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error: AuthenticationError):
    if getattr(error, "message", "") == "token":
        detail = _("This token is unknown, revoked or expired.")
    else:
        detail = _("This needs a token: send Authorization: Bearer <token>. Create one on your account page.")
    response = problem_response(request, status=401, title=_("Authentication needed."), detail=detail)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Throttled)
def _throttled(request, error: Throttled):
    seconds = max(1, math.ceil(getattr(request, "api_wait", 1)))
    response = problem_response(
        request, status=429, title=_("Too many requests."),
        detail=_("Too many requests for this token or address. Try again in %(seconds)d seconds.") % {"seconds": seconds},
    )
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    return problem_response(request, status=error.status_code, title=str(error))


@api.exception_handler(NotModified)
def _not_modified(request, error: NotModified) -> HttpResponse:
    return error.response


def _routers():
    from coalition.actionplan.api import router as actionplan
    from coalition.explore.api import router as explore
    from coalition.explore.campaigns_api import router as campaigns
    from coalition.explore.progress_api import router as progress
    from coalition.indicators.api import router as indicators
    from coalition.knowledge.api import router as knowledge
    from coalition.pledges.api import router as pledges
    from coalition.reporting.api import router as reporting
    from coalition.reports.api import router as reports

    return [(explore, read_auth), (pledges, write_auth), (reporting, write_auth), (indicators, read_auth),
            (actionplan, read_auth), (knowledge, read_auth), (reports, read_auth),
            (campaigns, read_auth),  # reads public; its writes check the token's write scope themselves
            (progress, read_auth)]


for _router, _auth in _routers():
    api.add_router("", _router, auth=_auth)
