# Test cases for upstash-qstash-verification-skipped-without-signature-python.
import os

from django.http import HttpResponse
from fastapi import FastAPI, HTTPException, Request
from qstash import Receiver
from qstash.errors import SignatureError

app = FastAPI()
receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


# ---- misuse -------------------------------------------------------------------------------

@app.post("/api/jobs")
async def run_job(request: Request):
    body = (await request.body()).decode()
    signature = request.headers.get("upstash-signature")
    # ruleid: upstash-qstash-verification-skipped-without-signature-python
    if signature:
        try:
            receiver.verify(signature=signature, body=body, url=str(request.url))
        except SignatureError:
            raise HTTPException(status_code=401)
    process(body)


def django_hook(request):
    body = request.body.decode()
    signature = request.headers.get("Upstash-Signature")
    # ruleid: upstash-qstash-verification-skipped-without-signature-python
    if signature is not None:
        try:
            receiver.verify(signature=signature, body=body, url=request.build_absolute_uri())
        except SignatureError:
            return HttpResponse(status=401)
    process(body)
    return HttpResponse(status=204)


# ---- correct ------------------------------------------------------------------------------

@app.post("/api/checked")
async def checked(request: Request):
    body = (await request.body()).decode()
    signature = request.headers.get("upstash-signature")
    if not signature:
        raise HTTPException(status_code=401)
    try:
        # ok: upstash-qstash-verification-skipped-without-signature-python
        receiver.verify(signature=signature, body=body, url=str(request.url))
    except SignatureError:
        raise HTTPException(status_code=401)
    process(body)


def django_checked(request):
    body = request.body.decode()
    signature = request.headers.get("Upstash-Signature")
    # ok: upstash-qstash-verification-skipped-without-signature-python
    if signature:
        try:
            receiver.verify(signature=signature, body=body)
        except SignatureError:
            return HttpResponse(status=401)
    else:
        return HttpResponse(status=401)
    process(body)
    return HttpResponse(status=204)


# ---- `if not signature:` handles the request unverified ------------------------------------
@app.post("/api/tasks")
async def tasks_unsigned_shortcut(request: Request):
    body = (await request.body()).decode()
    signature = request.headers.get("upstash-signature")
    # ruleid: upstash-qstash-verification-skipped-without-signature-python
    if not signature:
        return await run_task(body)
    receiver.verify(signature=signature, body=body, url=str(request.url))
    return await run_task(body)


@app.post("/api/tasks-local")
async def tasks_local_fallthrough(request: Request):
    body = (await request.body()).decode()
    upstash_signature = request.headers.get("upstash-signature")
    # ruleid: upstash-qstash-verification-skipped-without-signature-python
    if upstash_signature is None:
        print("no signature: treating as a local call")
    else:
        receiver.verify(signature=upstash_signature, body=body, url=str(request.url))
    return await run_task(body)


@app.post("/api/tasks-checked")
async def tasks_checked(request: Request):
    body = (await request.body()).decode()
    upstash_signature = request.headers.get("upstash-signature")
    # ok: upstash-qstash-verification-skipped-without-signature-python
    if upstash_signature is None:
        raise HTTPException(status_code=401, detail="missing signature")
    else:
        receiver.verify(signature=upstash_signature, body=body, url=str(request.url))
    return await run_task(body)


# ---- verification gated on another value the caller sends ---------------------------------

from flask import Flask, request as flask_request
from starlette.responses import JSONResponse, Response

flask_app = Flask(__name__)


async def starlette_hook(request):
    body = (await request.body()).decode()
    if request.headers.get("x-debug-skip-verify") != "true":
        try:
            # ruleid: upstash-qstash-verification-skipped-without-signature-python
            receiver.verify(body=body, signature=request.headers["upstash-signature"], url=str(request.url))
        except Exception:
            return Response(status_code=401)
    return JSONResponse({"ok": True})


def django_hook(request):
    if request.GET.get("local") != "1":
        # ruleid: upstash-qstash-verification-skipped-without-signature-python
        receiver.verify(body=request.body.decode(), signature=request.headers.get("Upstash-Signature", ""), url=request.build_absolute_uri())
    return HttpResponse("ok")


@flask_app.post("/jobs")
def flask_hook():
    request = flask_request
    if not request.args.get("skip_verify"):
        # ruleid: upstash-qstash-verification-skipped-without-signature-python
        receiver.verify(body=request.get_data(as_text=True), signature=request.headers["Upstash-Signature"], url=request.url)
    return "", 204


class TornadoHook:
    def post(self):
        if "x-internal" not in self.request.headers:
            # ruleid: upstash-qstash-verification-skipped-without-signature-python
            receiver.verify(body=self.request.body.decode(), signature=self.request.headers["Upstash-Signature"], url=self.request.full_url())
        self.write("ok")


def django_hook_refuses_first(request):
    if request.headers.get("x-internal-call") == "1":
        return HttpResponse(status=403)
    else:
        # ok: upstash-qstash-verification-skipped-without-signature-python
        receiver.verify(body=request.body.decode(), signature=request.headers.get("Upstash-Signature", ""), url=request.build_absolute_uri())
    return HttpResponse("ok")


def django_hook_by_method(request):
    if request.method == "POST":
        # ok: upstash-qstash-verification-skipped-without-signature-python
        receiver.verify(body=request.body.decode(), signature=request.headers.get("Upstash-Signature", ""), url=request.build_absolute_uri())
        return HttpResponse("ok")
    return HttpResponse(status=405)


def django_hook_header_gate_refuses(request):
    if not request.headers.get("Upstash-Signature"):
        return HttpResponse(status=401)
    # ok: upstash-qstash-verification-skipped-without-signature-python
    receiver.verify(body=request.body.decode(), signature=request.headers["Upstash-Signature"], url=request.build_absolute_uri())
    return HttpResponse("ok")


def flask_checked(request):
    # ok: upstash-qstash-verification-skipped-without-signature-python
    if not receiver.verify(signature=request.headers.get("Upstash-Signature", ""),
                           body=request.get_data(as_text=True), url=request.url):
        return "invalid", 401
    return "ok"


def nested_gate(request):
    if request.args.get("local") != "1":
        # ruleid: upstash-qstash-verification-skipped-without-signature-python
        if not receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.get_data(as_text=True), url=request.url):
            return "invalid", 401
    return "ok"


def header_presence_gate(request):
    # the signature's presence read inline in the gate: a bypass the rule does not see yet
    # todoruleid: upstash-qstash-verification-skipped-without-signature-python
    if request.headers.get("Upstash-Signature"):
        receiver.verify(body=request.body.decode(), signature=request.headers["Upstash-Signature"], url=request.build_absolute_uri())
    return HttpResponse("ok")


from aiohttp import web


@web.middleware
async def qstash_middleware(request: web.Request, handler):
    if not request.path.startswith("/jobs/"):
        return await handler(request)
    signature = request.headers.get("Upstash-Signature")
    # ruleid: upstash-qstash-verification-skipped-without-signature-python
    if signature is None:
        # internal cron calls reach the same routes without a signature
        return await handler(request)
    body = await request.text()
    try:
        receiver.verify(body=body, signature=signature, url=str(request.url))
    except SignatureError:
        return web.Response(status=401)
    return await handler(request)


async def starlette_qstash_middleware(request, call_next):
    signature = request.headers.get("upstash-signature")
    # ok: upstash-qstash-verification-skipped-without-signature-python
    if not signature:
        return JSONResponse({"error": "missing signature"}, status_code=401)
    body = (await request.body()).decode()
    try:
        receiver.verify(body=body, signature=signature, url=str(request.url))
    except SignatureError:
        return JSONResponse({"error": "invalid signature"}, status_code=401)
    return await call_next(request)
