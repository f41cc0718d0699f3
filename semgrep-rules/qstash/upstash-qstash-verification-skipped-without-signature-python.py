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
