# Test cases for upstash-qstash-verify-result-unused-python.
import os

from fastapi import FastAPI, HTTPException, Request
from flask import Blueprint
from qstash import Receiver
from qstash.errors import SignatureError

app = FastAPI()
jobs = Blueprint("jobs", __name__)
receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


def verify_qstash(signature, body, url):
    try:
        receiver.verify(signature=signature, body=body, url=url)
    except SignatureError:
        return False
    return True


def is_from_qstash(request, body):
    return verify_qstash(request.headers.get("upstash-signature", ""), body, str(request.url))


def require_qstash(signature, body, url):
    try:
        receiver.verify(signature=signature, body=body, url=url)
    except SignatureError as exc:
        raise HTTPException(status_code=401) from exc


# ---- misuse -------------------------------------------------------------------------------

@app.post("/api/jobs")
async def run_job(request: Request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verify-result-unused-python
    verify_qstash(request.headers.get("upstash-signature", ""), body, str(request.url))
    process(body)
    return {"ok": True}


@jobs.route("/hook", methods=["POST"])
def hook():
    from flask import request
    body = request.get_data(as_text=True)
    # ruleid: upstash-qstash-verify-result-unused-python
    valid = verify_qstash(request.headers.get("Upstash-Signature", ""), body, request.url)
    print("qstash signature valid", valid)
    process(body)
    return "", 204


@app.post("/api/other")
async def other(request: Request):
    body = (await request.body()).decode()
    # ruleid: upstash-qstash-verify-result-unused-python
    is_from_qstash(request, body)
    process(body)


# aiohttp: a private helper answering False on a bad signature, its answer only logged.
import logging

from aiohttp import web

log = logging.getLogger(__name__)


def _verify(sig, body, url):
    try:
        receiver.verify(signature=sig, body=body, url=url)
        return True
    except Exception:
        return False


async def aiohttp_hook(request: web.Request):
    body = await request.text()
    # ruleid: upstash-qstash-verify-result-unused-python
    ok = _verify(request.headers.get("Upstash-Signature", ""), body, str(request.url))
    log.debug("verify=%s", ok)
    process(body)
    return web.Response(text="ok")


async def aiohttp_logged_if(request: web.Request):
    body = await request.text()
    # ruleid: upstash-qstash-verify-result-unused-python
    ok = _verify(request.headers.get("Upstash-Signature", ""), body, str(request.url))
    if not ok:
        log.warning("qstash signature did not verify")
    process(body)
    return web.Response(text="ok")


# ---- correct ------------------------------------------------------------------------------

@app.post("/api/checked")
async def checked(request: Request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verify-result-unused-python
    if not verify_qstash(request.headers.get("upstash-signature", ""), body, str(request.url)):
        raise HTTPException(status_code=401)
    # ok: upstash-qstash-verify-result-unused-python
    ok = is_from_qstash(request, body)
    if not ok:
        raise HTTPException(status_code=401)
    process(body)


@app.post("/api/raising")
async def raising(request: Request):
    body = (await request.body()).decode()
    # A helper that raises: calling it for its effect is right.
    # ok: upstash-qstash-verify-result-unused-python
    require_qstash(request.headers.get("upstash-signature", ""), body, str(request.url))
    process(body)


async def aiohttp_checked(request: web.Request):
    body = await request.text()
    # ok: upstash-qstash-verify-result-unused-python
    ok = _verify(request.headers.get("Upstash-Signature", ""), body, str(request.url))
    if not ok:
        log.warning("qstash signature did not verify")
        raise web.HTTPUnauthorized()
    process(body)
    return web.Response(text="ok")


async def aiohttp_work_inside(request: web.Request):
    body = await request.text()
    # ok: upstash-qstash-verify-result-unused-python
    ok = _verify(request.headers.get("Upstash-Signature", ""), body, str(request.url))
    if ok:
        log.info("processing a verified delivery")
        process(body)
    return web.Response(text="ok" if ok else "ignored", status=200 if ok else 401)


def is_qstash_available() -> bool:
    return bool(os.environ.get("QSTASH_TOKEN"))


def warm_up_queue():
    # ok: upstash-qstash-verify-result-unused-python
    is_qstash_available()
    return {"queued": 0}
