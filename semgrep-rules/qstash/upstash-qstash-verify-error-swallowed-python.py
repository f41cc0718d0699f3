# Test cases for upstash-qstash-verify-error-swallowed-python.
import logging
import os

from django.http import HttpResponse, HttpResponseForbidden
from fastapi import FastAPI, HTTPException, Request
import flask
from django.core.exceptions import PermissionDenied
from flask import Flask, abort, make_response, request as flask_request
from qstash import Receiver
from qstash.errors import SignatureError

log = logging.getLogger(__name__)
receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)
api = FastAPI()
flask_app = Flask(__name__)

# ---- misuse ---------------------------------------------------------------------------------


@api.post("/jobs")
async def fastapi_job(request: Request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["upstash-signature"], body=body, url=str(request.url))
    except SignatureError:
        pass
    return {"processed": run_job(body)}


@flask_app.post("/jobs")
def flask_job():
    body = flask_request.get_data(as_text=True)
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=flask_request.headers.get("Upstash-Signature", ""), body=body)
    except Exception as exc:
        log.warning("QStash signature check failed: %s", exc)
    run_job(body)
    return "ok"


def django_job(request):
    body = request.body.decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("Upstash-Signature"), body=body)
    except:
        print("bad signature")
    finally:
        log.info("checked")
    run_job(body)
    return HttpResponse("ok")


# The older upstash_qstash package, dict argument, aliased receiver.
from upstash_qstash import Receiver as LegacyReceiver

legacy = LegacyReceiver({"current_signing_key": os.environ["A"], "next_signing_key": os.environ["B"]})


def legacy_job(request):
    body = request.body.decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        legacy.verify({"signature": request.META["HTTP_UPSTASH_SIGNATURE"], "body": body})
    except (SignatureError, ValueError) as e:
        log.exception(e)
    return run_job(body)


# A 401 response is built in the except but never returned: the job still runs.
@flask_app.post("/invoices")
def flask_invoice():
    raw = flask_request.get_data(as_text=True)
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=flask_request.headers.get("Upstash-Signature", ""), body=raw)
    except SignatureError:
        rejection = make_response({"error": "bad signature"}, 401)
        log.info("built %s", rejection)
    run_job(raw)
    return "done"


def django_forbidden_not_returned(request):
    raw = request.body.decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=raw)
    except SignatureError:
        HttpResponseForbidden("nope")
    finally:
        log.debug("signature checked")
    run_job(raw)
    return HttpResponse("ok")


# ---- correct --------------------------------------------------------------------------------


@api.post("/good")
async def fastapi_good(request: Request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=body)
    except SignatureError:
        raise HTTPException(status_code=401, detail="invalid signature")
    return {"processed": run_job(body)}


@flask_app.post("/good")
def flask_good():
    body = flask_request.get_data(as_text=True)
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=flask_request.headers.get("Upstash-Signature", ""), body=body)
    except Exception:
        log.warning("rejected a QStash request")
        abort(401)
    run_job(body)
    return "ok"


def django_good(request):
    body = request.body.decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=body)
    except SignatureError:
        return HttpResponseForbidden("invalid signature")
    run_job(body)
    return HttpResponse("ok")


def django_status(request):
    body = request.body.decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.META.get("HTTP_UPSTASH_SIGNATURE", ""), body=body)
    except SignatureError as exc:
        log.info("rejected: %s", exc)
        return HttpResponse(status=401)
    finally:
        log.info("checked")
    run_job(body)
    return HttpResponse("ok")


def reraises(request):
    body = request.body.decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["Upstash-Signature"], body=body)
    except SignatureError:
        log.error("bad signature")
        raise
    return run_job(body)


def flagged(request):
    body = request.body.decode()
    valid = True
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["Upstash-Signature"], body=body)
    except SignatureError:
        valid = False
    if not valid:
        return HttpResponse(status=401)
    return run_job(body)


def work_inside_try(request):
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        body = request.body.decode()
        receiver.verify(signature=request.headers["Upstash-Signature"], body=body)
        run_job(body)
    except SignatureError as exc:
        log.warning("ignored forged message: %s", exc)


@api.post("/chained")
async def fastapi_chained(request: Request):
    raw = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=raw, url=str(request.url))
    except SignatureError as err:
        raise HTTPException(status_code=403, detail="forged") from err
    return {"processed": run_job(raw)}


def django_suppressed_context(request):
    raw = request.body.decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.META.get("HTTP_UPSTASH_SIGNATURE", ""), body=raw)
    except (SignatureError, KeyError):
        log.warning("rejecting delivery")
        raise PermissionDenied("invalid QStash signature") from None
    finally:
        log.debug("signature checked")
    return HttpResponse(run_job(raw))


def flask_module_abort():
    raw = flask_request.get_data(as_text=True)
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=flask_request.headers["Upstash-Signature"], body=raw)
    except SignatureError:
        flask.abort(401)
    return run_job(raw)


def flask_returns_built_response():
    raw = flask_request.get_data(as_text=True)
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=flask_request.headers["Upstash-Signature"], body=raw)
    except SignatureError:
        return make_response("invalid signature", 401)
    return run_job(raw)


# Some other library's verify in a try: not a QStash check.
import jwt


def session(token):
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        claims = jwt.decode(token, "k", algorithms=["HS256"])
        token_ok = verifier.verify(claims)
    except Exception:
        claims = None
    return claims


def run_job(body):
    return len(body)


# ---- Litestar: the failure answered with a success response and no work: correct (no WARNING/ERROR) ----
from litestar import Response as LitestarResponse, post as litestar_post


@litestar_post("/qstash/reports")
async def litestar_report(request) -> LitestarResponse:
    raw = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=raw, url=str(request.url))
    except SignatureError:
        return LitestarResponse(content={"received": True}, status_code=200)
    run_job(raw)
    return LitestarResponse(content={"received": True}, status_code=200)


@litestar_post("/qstash/digest")
async def litestar_digest(request) -> dict:
    raw = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["upstash-signature"], body=raw, url=str(request.url))
    except Exception:
        return {"ok": True}
    return {"done": run_job(raw)}


@litestar_post("/qstash/reports-checked")
async def litestar_report_checked(request) -> LitestarResponse:
    raw = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=raw, url=str(request.url))
    except SignatureError:
        return LitestarResponse(content={"detail": "invalid signature"}, status_code=401)
    run_job(raw)
    return LitestarResponse(content={"received": True}, status_code=200)


def signature_ok(req):
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=req.headers.get("Upstash-Signature", ""), body=req.get_data(as_text=True), url=req.url)
        return True
    except Exception:
        return False


# ---- a function that only verifies, ending in the swallowing try ---------------------------
from fastapi import Depends


async def require_qstash(request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url))
    except Exception:
        pass


async def require_qstash_logged(request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url))
    except SignatureError as exc:
        logger.warning("qstash signature rejected: %s", exc)


async def require_qstash_strict(request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=body, url=str(request.url))
    except SignatureError as exc:
        raise HTTPException(status_code=401, detail="invalid signature") from exc


def handle_in_try(request):
    raw = request.get_data(as_text=True)
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=raw, url=request.url)
        run_job(raw)
    except SignatureError:
        logger.warning("rejected a forged delivery")


def is_from_qstash(request):
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.get_data(as_text=True), url=request.url)
        return True
    except SignatureError:
        pass


@app.post("/fastapi/depends")
async def fastapi_depends(request: Request, _=Depends(require_qstash)):
    return {"done": run_job(await request.body())}


def delivery_is_genuine(request) -> bool:
    raw = request.get_data(as_text=True)
    # ruleid: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["Upstash-Signature"], body=raw, url=request.url)
    except SignatureError:
        return True
    return True


@app.post("/qstash/quiet")
def quiet_ack():
    # ok: upstash-qstash-verify-error-swallowed-python
    try:
        receiver.verify(signature=request.headers["Upstash-Signature"], body=request.get_data(as_text=True), url=request.url)
    except SignatureError:
        return "", 200
    run_job(request.get_json())
    return "", 200


import contextlib
from contextlib import suppress


@app.post("/qstash/recalculate")
def recalculate_suppressed():
    # ruleid: upstash-qstash-verify-error-swallowed-python
    with contextlib.suppress(SignatureError):
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.get_data(as_text=True), url=request.url)
    run_job(request.get_json())
    return "", 200


@app.post("/qstash/recalculate-any")
def recalculate_suppressed_any():
    # ruleid: upstash-qstash-verify-error-swallowed-python
    with suppress(ValueError, Exception):
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.get_data(as_text=True), url=request.url)
    run_job(request.get_json())
    return "", 200


@app.post("/qstash/recalculate-keyerror")
def recalculate_keyerror_suppressed():
    # ok: upstash-qstash-verify-error-swallowed-python
    with suppress(KeyError):
        receiver.verify(signature=request.headers["Upstash-Signature"], body=request.get_data(as_text=True), url=request.url)
    run_job(request.get_json())
    return "", 200
