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
