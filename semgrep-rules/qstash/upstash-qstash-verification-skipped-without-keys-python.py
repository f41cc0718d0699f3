# Test cases for upstash-qstash-verification-skipped-without-keys-python.
import logging
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI, HTTPException, Request
from flask import Flask, abort, jsonify, request
from qstash import Receiver

log = logging.getLogger(__name__)
app = Flask(__name__)
receiver = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", ""),
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", ""),
)


def run_job(payload):
    return jsonify(done=payload["job_id"])


# ---- misuse -------------------------------------------------------------------------------

# Flask: the development switch answers before the check.
@app.route("/jobs/qstash", methods=["POST"])
def qstash_job():
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if os.environ.get("APP_ENV") == "development":
        return run_job(request.get_json())
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.get_data(as_text=True),
            url=request.url,
        )
    except Exception:
        abort(401)
    return run_job(request.get_json())


# The same switch inside a helper the views call: `return` means "verified".
def check_qstash():
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if os.getenv("FLASK_DEBUG") == "1":
        return
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.get_data(as_text=True),
            url=request.url,
        )
    except Exception:
        abort(401)


def qstash_request_ok(signature, body, url):
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if app.debug:
        log.warning("debug mode: QStash signature not checked")
        return True
    try:
        receiver.verify(signature=signature, body=body, url=url)
    except Exception:
        return False
    return True


# Django: verified in production only.
def django_job(request):
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if not settings.DEBUG:
        try:
            receiver.verify(
                signature=request.headers.get("Upstash-Signature", ""),
                body=request.body.decode(),
                url=request.build_absolute_uri(),
            )
        except Exception:
            return HttpResponse(status=401)
    return JsonResponse({"queued": True})


def django_job_flag(request):
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if getattr(settings, "QSTASH_VERIFY", True):
        try:
            receiver.verify(
                signature=request.headers.get("Upstash-Signature", ""),
                body=request.body.decode(),
                url=request.build_absolute_uri(),
            )
        except Exception:
            return HttpResponse(status=401)
    return JsonResponse({"queued": True})


# FastAPI worker class: missing keys turn verification off, and the check is skipped.
class JobWorker:
    def __init__(self, check_signatures: bool = True) -> None:
        self.api = FastAPI()
        self._check_signatures = check_signatures
        self._receiver = None
        try:
            self._receiver = Receiver(
                current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
                next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
            )
        except KeyError:
            self._check_signatures = False
        self._routes()

    def _routes(self) -> None:
        @self.api.post("/work")
        async def work(request: Request):
            raw = await request.body()
            # ruleid: upstash-qstash-verification-skipped-without-keys-python
            if self._check_signatures and self._receiver is not None:
                try:
                    self._receiver.verify(
                        signature=request.headers.get("Upstash-Signature", ""),
                        body=raw.decode(),
                        url=str(request.url),
                    )
                except Exception as exc:
                    raise HTTPException(status_code=401) from exc
            return {"ok": True}


optional_receiver = None
if os.environ.get("QSTASH_CURRENT_SIGNING_KEY"):
    optional_receiver = Receiver(
        current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
        next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
    )


def lambda_handler(event, context):
    body = event["body"]
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if optional_receiver is not None:
        optional_receiver.verify(
            signature=event["headers"].get("upstash-signature", ""),
            body=body,
            url="https://jobs.example.com/qstash",
        )
    return {"statusCode": 200, "body": body}


# A module constant read from the environment: `SKIP` says what it does.
SKIP = os.getenv("SKIP_QSTASH_VERIFY") == "1"


def reindex_task(body: str, signature: str) -> str:
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if not SKIP:
        try:
            receiver.verify(body=body, signature=signature, url="https://example.com/reindex")
        except Exception:
            abort(401)
    return body


# ---- correct ------------------------------------------------------------------------------

@app.route("/jobs/qstash-closed", methods=["POST"])
def qstash_job_fails_closed():
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not os.environ.get("QSTASH_CURRENT_SIGNING_KEY"):
        abort(500)
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if os.environ.get("JOBS_PAUSED") == "1":
        return jsonify(error="paused"), 503
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.get_data(as_text=True),
            url=request.url,
        )
    except Exception:
        abort(401)
    return run_job(request.get_json())


def is_from_qstash(signature, body, url):
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not os.environ.get("QSTASH_NEXT_SIGNING_KEY"):
        log.error("QStash keys missing")
        return False
    try:
        receiver.verify(signature=signature, body=body, url=url)
    except Exception:
        return False
    return True


def django_job_refuses(request):
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not settings.QSTASH_CURRENT_SIGNING_KEY:
        raise ImproperlyConfigured("QSTASH_CURRENT_SIGNING_KEY is not set")
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if settings.MAINTENANCE_MODE:
        return JsonResponse({"error": "maintenance"}, status=503)
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.body.decode(),
            url=request.build_absolute_uri(),
        )
    except Exception:
        return HttpResponse(status=401)
    return JsonResponse({"queued": True})


def django_job_else_refuses(request):
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if settings.QSTASH_CURRENT_SIGNING_KEY:
        try:
            receiver.verify(
                signature=request.headers.get("Upstash-Signature", ""),
                body=request.body.decode(),
                url=request.build_absolute_uri(),
            )
        except Exception:
            return HttpResponse(status=401)
    else:
        return HttpResponse("QStash is not configured", status=500)
    return JsonResponse({"queued": True})


def django_debug_only_logs(request):
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if settings.DEBUG:
        log.info("QStash delivery %s", request.headers.get("Upstash-Message-Id"))
    try:
        receiver.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.body.decode(),
            url=request.build_absolute_uri(),
        )
    except Exception:
        return HttpResponse(status=401)
    return JsonResponse({"queued": True})


class StrictWorker:
    def __init__(self) -> None:
        self.api = FastAPI()
        # ok: upstash-qstash-verification-skipped-without-keys-python
        if not os.environ.get("QSTASH_CURRENT_SIGNING_KEY"):
            raise RuntimeError("QSTASH_CURRENT_SIGNING_KEY is required")
        self._receiver = Receiver(
            current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
            next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
        )

        @self.api.post("/work")
        async def work(request: Request):
            raw = await request.body()
            # ok: upstash-qstash-verification-skipped-without-keys-python
            if request.url.path.startswith("/work"):
                log.info("work item")
            try:
                self._receiver.verify(
                    signature=request.headers.get("Upstash-Signature", ""),
                    body=raw.decode(),
                    url=str(request.url),
                )
            except Exception as exc:
                raise HTTPException(status_code=401) from exc
            return {"ok": True}


# A request check, not configuration (upstash-qstash-verification-skipped-without-signature-python).
def signature_present_only(request):
    signature = request.headers.get("Upstash-Signature")
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if signature:
        receiver.verify(signature=signature, body=request.body.decode(), url=request.build_absolute_uri())
    return JsonResponse({"queued": True})


# ---- keys missing: warn and carry on, else verify ---------------------------------------------
from starlette.responses import Response

current_key = os.environ.get("QSTASH_CURRENT_SIGNING_KEY")
next_key = os.environ.get("QSTASH_NEXT_SIGNING_KEY")


async def starlette_keys_missing_warns(request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if not current_key or not next_key:
        log.warning("QStash signing keys not set, skipping verification")
    else:
        try:
            Receiver(current_signing_key=current_key, next_signing_key=next_key).verify(
                signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url)
            )
        except Exception:
            return Response(status_code=401)
    await handle(body)
    return Response("ok")


def flask_debug_skips(request):
    body = request.get_data(as_text=True)
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if os.getenv("FLASK_DEBUG") == "1":
        log.info("debug: QStash signature not checked")
    else:
        try:
            receiver.verify(signature=request.headers["Upstash-Signature"], body=body, url=request.url)
        except Exception:
            abort(401)
    handle(body)
    return "ok"


async def starlette_keys_missing_refuses(request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not current_key or not next_key:
        log.error("QStash signing keys not set")
        return Response("QStash is not configured", status_code=500)
    else:
        try:
            Receiver(current_signing_key=current_key, next_signing_key=next_key).verify(
                signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url)
            )
        except Exception:
            return Response(status_code=401)
    await handle(body)
    return Response("ok")


async def starlette_keys_missing_raises(request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not current_key:
        raise RuntimeError("QSTASH_CURRENT_SIGNING_KEY is not set")
    else:
        Receiver(current_signing_key=current_key, next_signing_key=next_key).verify(
            signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url)
        )
    await handle(body)
    return Response("ok")


# ---- Litestar guards: returning without raising lets the request through ----
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler


async def qstash_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    current_signing_key = os.getenv("QSTASH_CURRENT_SIGNING_KEY")
    next_signing_key = os.getenv("QSTASH_NEXT_SIGNING_KEY")
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if not current_signing_key or not next_signing_key:
        log.warning("QStash signing keys missing; not verifying")
        return
    body = await connection.body()
    try:
        Receiver(current_signing_key=current_signing_key, next_signing_key=next_signing_key).verify(
            signature=connection.headers.get("upstash-signature", ""), body=body.decode(), url=str(connection.url)
        )
    except Exception as exc:
        raise NotAuthorizedException("invalid QStash signature") from exc


async def qstash_guard_short_names(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    cur = os.environ.get("QSTASH_CURRENT_SIGNING_KEY")
    nxt = os.environ.get("QSTASH_NEXT_SIGNING_KEY")
    # ruleid: upstash-qstash-verification-skipped-without-keys-python
    if cur is None or nxt is None:
        return None
    body = await connection.body()
    try:
        Receiver(current_signing_key=cur, next_signing_key=nxt).verify(
            signature=connection.headers.get("upstash-signature", ""), body=body.decode(), url=str(connection.url)
        )
    except Exception as exc:
        raise NotAuthorizedException("invalid QStash signature") from exc


async def qstash_guard_fails_closed(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    cur = os.environ.get("QSTASH_CURRENT_SIGNING_KEY")
    nxt = os.environ.get("QSTASH_NEXT_SIGNING_KEY")
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not cur or not nxt:
        raise NotAuthorizedException("QStash is not configured")
    body = await connection.body()
    try:
        Receiver(current_signing_key=cur, next_signing_key=nxt).verify(
            signature=connection.headers.get("upstash-signature", ""), body=body.decode(), url=str(connection.url)
        )
    except Exception as exc:
        raise NotAuthorizedException("invalid QStash signature") from exc


def qstash_signature_ok(signature: str, body: str, url: str) -> bool:
    cur = os.environ.get("QSTASH_CURRENT_SIGNING_KEY")
    nxt = os.environ.get("QSTASH_NEXT_SIGNING_KEY")
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not cur or not nxt:
        return False
    try:
        Receiver(current_signing_key=cur, next_signing_key=nxt).verify(signature=signature, body=body, url=url)
    except Exception:
        return False
    return True


def qstash_guard_other_check(signature: str, body: str, url: str) -> bool:
    cur = os.environ.get("QSTASH_CURRENT_SIGNING_KEY")
    # An early answer about something else than the keys (an empty body has nothing to run).
    # ok: upstash-qstash-verification-skipped-without-keys-python
    if not body:
        return True
    try:
        Receiver(current_signing_key=cur, next_signing_key=cur).verify(signature=signature, body=body, url=url)
    except Exception:
        return False
    return True


# A Flask decorator that lets the view run when the app's config has no signing keys: a
# deployment that forgot them accepts anyone's message.
from functools import wraps

from flask import current_app


def qstash_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        current = current_app.config.get("QSTASH_CURRENT_SIGNING_KEY")
        following = current_app.config.get("QSTASH_NEXT_SIGNING_KEY")
        # ruleid: upstash-qstash-verification-skipped-without-keys-python
        if not current or not following:
            current_app.logger.warning("QStash keys missing, skipping verification")
            return view(*args, **kwargs)
        receiver = Receiver(current_signing_key=current, next_signing_key=following)
        try:
            receiver.verify(signature=request.headers.get("Upstash-Signature", ""),
                            body=request.get_data(as_text=True), url=request.url)
        except Exception:
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def qstash_required_strict(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        current = current_app.config.get("QSTASH_CURRENT_SIGNING_KEY")
        following = current_app.config.get("QSTASH_NEXT_SIGNING_KEY")
        # ok: upstash-qstash-verification-skipped-without-keys-python
        if not current or not following:
            abort(503)
        receiver = Receiver(current_signing_key=current, next_signing_key=following)
        try:
            receiver.verify(signature=request.headers.get("Upstash-Signature", ""),
                            body=request.get_data(as_text=True), url=request.url)
        except Exception:
            abort(401)
        return view(*args, **kwargs)
    return wrapper
