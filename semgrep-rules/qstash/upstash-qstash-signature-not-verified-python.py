# Test cases for upstash-qstash-signature-not-verified-python.
import os
from typing import Annotated, Optional

from django.http import HttpResponse
from fastapi import FastAPI, Header, HTTPException, Request
from flask import Flask, abort, request
from qstash import Receiver

receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)
api = FastAPI()
app = Flask(__name__)

# ---- misuse ---------------------------------------------------------------------------------


@api.post("/jobs")
async def fastapi_presence_only(req: Request):
    # ruleid: upstash-qstash-signature-not-verified-python
    signature = req.headers.get("upstash-signature")
    if signature is None:
        raise HTTPException(status_code=401)
    return {"job": await req.json()}


@api.post("/jobs2")
# ruleid: upstash-qstash-signature-not-verified-python
async def fastapi_header_param(payload: dict, upstash_signature: str = Header(...)):
    return {"ok": bool(upstash_signature), "payload": payload}


@api.post("/jobs3")
async def fastapi_annotated(
    payload: dict,
    # ruleid: upstash-qstash-signature-not-verified-python
    upstash_signature: Annotated[Optional[str], Header()] = None,
):
    return {"ok": upstash_signature is not None}


@api.post("/jobs4")
# ruleid: upstash-qstash-signature-not-verified-python
async def fastapi_alias(payload: dict, sig: str = Header(alias="Upstash-Signature")):
    return {"sig": sig}


@app.post("/flask")
def flask_presence_only():
    # ruleid: upstash-qstash-signature-not-verified-python
    if "Upstash-Signature" not in request.headers or not request.headers["Upstash-Signature"]:
        abort(401)
    return "ok"


def django_view(request):
    # ruleid: upstash-qstash-signature-not-verified-python
    signature = request.META.get("HTTP_UPSTASH_SIGNATURE")
    if not signature:
        return HttpResponse(status=401)
    return HttpResponse("processed")


def django_headers(request):
    # ruleid: upstash-qstash-signature-not-verified-python
    print(request.headers.get("Upstash-Signature", ""))
    return HttpResponse("processed")


# ---- correct --------------------------------------------------------------------------------


@api.post("/good")
async def fastapi_good(req: Request):
    # ok: upstash-qstash-signature-not-verified-python
    signature = req.headers.get("upstash-signature", "")
    body = (await req.body()).decode()
    try:
        receiver.verify(signature=signature, body=body, url=str(req.url))
    except Exception:
        raise HTTPException(status_code=401)
    return {"ok": True}


@api.post("/good2")
# ok: upstash-qstash-signature-not-verified-python
async def fastapi_good_param(req: Request, upstash_signature: str = Header(...)):
    try:
        receiver.verify(signature=upstash_signature, body=(await req.body()).decode())
    except Exception:
        raise HTTPException(status_code=401)
    return {"ok": True}


@app.post("/good")
def flask_good():
    # ok: upstash-qstash-signature-not-verified-python
    signature = request.headers.get("Upstash-Signature", "")
    try:
        receiver.verify(signature=signature, body=request.get_data(as_text=True))
    except Exception:
        abort(401)
    return "ok"


def django_good(request):
    # ok: upstash-qstash-signature-not-verified-python
    signature = request.META.get("HTTP_UPSTASH_SIGNATURE", "")
    try:
        receiver.verify(signature=signature, body=request.body.decode())
    except Exception:
        return HttpResponse(status=401)
    return HttpResponse("processed")


# Other headers and other parameters are not the signature.
@api.post("/other")
# ok: upstash-qstash-signature-not-verified-python
async def other(req: Request, upstash_message_id: str = Header(...)):
    # ok: upstash-qstash-signature-not-verified-python
    retried = req.headers.get("Upstash-Retried")
    return {"id": upstash_message_id, "retried": retried}


# A hand-written verifier (AWS Lambda style): PyJWT plus a body-hash check in a helper.
def verify_signature(signature, key, body, url):
    claims = jwt_decode(signature, key)
    if claims["sub"] != url:
        raise ValueError("wrong url")


def lambda_handler(event, context):
    # ok: upstash-qstash-signature-not-verified-python
    signature = event["headers"]["upstash-signature"]
    try:
        verify_signature(signature, os.environ["QSTASH_CURRENT_SIGNING_KEY"], event["body"], "https://example.com")
    except Exception:
        return {"statusCode": 401}
    return {"statusCode": 200}


def lambda_handler_unverified(event, context):
    # ruleid: upstash-qstash-signature-not-verified-python
    signature = event["headers"]["upstash-signature"]
    if not signature:
        return {"statusCode": 401}
    return {"statusCode": 200, "body": event["body"]}


# Verified before the view runs: a decorator or a dependency named for it.
def qstash_verification_required(view):
    def wrapper(request, *args, **kwargs):
        try:
            receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.body.decode())
        except Exception:
            return HttpResponse(status=401)
        return view(request, *args, **kwargs)
    return wrapper


@qstash_verification_required
def decorated_view(request):
    # ok: upstash-qstash-signature-not-verified-python
    return HttpResponse(request.headers.get("Upstash-Signature", "")[:8])


from fastapi import Depends


async def verify_qstash_signature(req: Request):
    try:
        receiver.verify(signature=req.headers.get("upstash-signature", ""), body=(await req.body()).decode())
    except Exception:
        raise HTTPException(status_code=401)


@api.post("/with-dependency")
async def with_dependency(req: Request, _=Depends(verify_qstash_signature)):
    # ok: upstash-qstash-signature-not-verified-python
    return {"signature_seen": bool(req.headers.get("upstash-signature"))}


def get_qstash_client():
    return None


@api.post("/with-other-dependency")
async def with_other_dependency(req: Request, client=Depends(get_qstash_client)):
    # ruleid: upstash-qstash-signature-not-verified-python
    return {"signature_seen": bool(req.headers.get("upstash-signature"))}


# ---- AWS Lambda: the header only checked for presence -------------------------------------------

def lambda_handler(event, context):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    # ruleid: upstash-qstash-signature-not-verified-python
    if "upstash-signature" not in headers:
        return {"statusCode": 401, "body": "missing signature"}
    return {"statusCode": 200, "body": event["body"]}


def lambda_presence_then_verify(event, context):
    headers = event.get("headers") or {}
    # ok: upstash-qstash-signature-not-verified-python
    if "Upstash-Signature" not in headers:
        return {"statusCode": 401, "body": "missing signature"}
    try:
        receiver.verify(signature=headers["Upstash-Signature"], body=event["body"], url="https://example.com/api/job")
    except Exception:
        return {"statusCode": 401, "body": "invalid signature"}
    return {"statusCode": 200, "body": "ok"}


def django_meta_presence(request):
    # ruleid: upstash-qstash-signature-not-verified-python
    if "HTTP_UPSTASH_SIGNATURE" in request.META:
        return HttpResponse(status=202)
    return HttpResponse(status=401)


# ---- a docs-style snippet at module level: not a handler ---------------------------------------

# ok: upstash-qstash-signature-not-verified-python
signature = request.headers.get("Upstash-Signature")
body = request.get_data(as_text=True)


# ---- the header handed to a boolean check of this file that calls verify ---------------------

def is_genuine_delivery(signature: str, body: str, url: str) -> bool:
    try:
        receiver.verify(signature=signature, body=body, url=url)
        return True
    except Exception:
        return False


@api.post("/checked-by-helper")
async def checked_by_helper(req: Request):
    raw = (await req.body()).decode()
    # ok: upstash-qstash-signature-not-verified-python
    if not is_genuine_delivery(req.headers.get("upstash-signature", ""), raw, str(req.url)):
        raise HTTPException(status_code=401)
    return {"ok": True}


@api.post("/checked-by-later-helper")
async def checked_by_later_helper(req: Request):
    raw = (await req.body()).decode()
    # ok: upstash-qstash-signature-not-verified-python
    sig = req.headers.get("upstash-signature", "")
    if not delivery_ok(sig, raw, str(req.url)):
        raise HTTPException(status_code=401)
    return {"ok": True}


def delivery_ok(sig, raw, url):
    try:
        receiver.verify(signature=sig, body=raw, url=url)
    except Exception:
        return False
    return True


# A helper of the same file that only looks at the header is no check.
def looks_like_qstash(sig):
    return sig.startswith("ey")


@api.post("/shape-only")
async def shape_only(req: Request):
    # ruleid: upstash-qstash-signature-not-verified-python
    if not looks_like_qstash(req.headers.get("upstash-signature", "")):
        raise HTTPException(status_code=401)
    return {"ok": True}


# ---- Falcon and Bottle: req.get_header(...) ---------------------------------------------------
import falcon


class QStashJobs:
    def on_post(self, req, resp):
        # ruleid: upstash-qstash-signature-not-verified-python
        if not req.get_header("Upstash-Signature"):
            raise falcon.HTTPUnauthorized()
        run_job(req.media)
        resp.media = {"ok": True}


class QStashJobsVerified:
    def on_post(self, req, resp):
        raw = req.bounded_stream.read().decode()
        try:
            # ok: upstash-qstash-signature-not-verified-python
            receiver.verify(signature=req.get_header("Upstash-Signature", required=True), body=raw, url=req.url)
        except Exception:
            raise falcon.HTTPUnauthorized()
        run_job(raw)
        resp.media = {"ok": True}


def bottle_hook(request):
    # ruleid: upstash-qstash-signature-not-verified-python
    signature = request.get_header("upstash-signature")
    if signature is None:
        return HttpResponse(status=401)
    run_job(request.body.read())
    return "ok"
