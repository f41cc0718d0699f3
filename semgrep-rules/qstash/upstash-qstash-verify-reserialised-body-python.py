# Test cases for upstash-qstash-verify-reserialised-body-python.
import json
import os

from django.http import HttpResponse
from fastapi import FastAPI, HTTPException, Request
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
async def fastapi_dumps(req: Request):
    payload = await req.json()
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=req.headers["upstash-signature"], body=json.dumps(payload))
    except Exception:
        raise HTTPException(status_code=401)
    return payload


@api.post("/jobs2")
async def fastapi_parsed(req: Request):
    data = await req.json()
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=req.headers["upstash-signature"], body=data, url=str(req.url))
    except Exception:
        raise HTTPException(status_code=401)
    return data


@app.post("/flask")
def flask_dumps():
    body = json.dumps(request.get_json())
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=body)
    except Exception:
        abort(401)
    return "ok"


@app.post("/flask2")
def flask_str():
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=str(request.json))
    except Exception:
        abort(401)
    return "ok"


def django_view(request):
    parsed = json.loads(request.body)
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.META["HTTP_UPSTASH_SIGNATURE"], body=json.dumps(parsed, separators=(",", ":")))
    except Exception:
        return HttpResponse(status=401)
    return HttpResponse("ok")


# FastAPI parsed the body into a Pydantic model; dumping it again is not what QStash signed.
from pydantic import BaseModel

fastapi_jobs = FastAPI()


class Job(BaseModel):
    job_id: str


@fastapi_jobs.post("/jobs")
async def run_job(job: Job, req: Request):
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(body=job.model_dump_json(), signature=req.headers.get("upstash-signature", ""), url=str(req.url))
    except Exception as exc:
        raise HTTPException(401) from exc
    return job.job_id


@fastapi_jobs.post("/jobs/v2")
async def run_job_via_variable(job: Job, req: Request):
    payload = job.model_dump_json()
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(body=payload, signature=req.headers.get("upstash-signature", ""), url=str(req.url))
    except Exception as exc:
        raise HTTPException(401) from exc
    return job.job_id


# ---- correct --------------------------------------------------------------------------------


@api.post("/good")
async def fastapi_good(req: Request):
    raw = (await req.body()).decode()
    try:
        # ok: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=req.headers["upstash-signature"], body=raw, url=str(req.url))
    except Exception:
        raise HTTPException(status_code=401)
    return json.loads(raw)


@app.post("/good")
def flask_good():
    try:
        # ok: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.get_data(as_text=True))
    except Exception:
        abort(401)
    return "ok"


def django_good(request):
    summary = json.dumps({"size": len(request.body)})
    try:
        # ok: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=request.body.decode())
    except Exception:
        return HttpResponse(status=401)
    return HttpResponse(summary)


@fastapi_jobs.post("/jobs/raw")
async def run_job_raw(req: Request):
    body = (await req.body()).decode()
    try:
        # ok: upstash-qstash-verify-reserialised-body-python
        receiver.verify(body=body, signature=req.headers.get("upstash-signature", ""), url=str(req.url))
    except Exception as exc:
        raise HTTPException(401) from exc
    return Job.model_validate_json(body).job_id


# ---- Starlette and Flask: a parsed body turned back into text -------------------------------
from starlette.responses import JSONResponse


async def starlette_repr(request):
    # ruleid: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["upstash-signature"], body=str(await request.json()), url=str(request.url))
    return JSONResponse({"ok": True})


async def starlette_repr_var(request):
    body = str(await request.json())
    # ruleid: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["upstash-signature"], body=body, url=str(request.url))
    return JSONResponse({"ok": True})


async def starlette_dumps(request):
    # ruleid: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["upstash-signature"], body=json.dumps(await request.json()), url=str(request.url))
    return JSONResponse({"ok": True})


def flask_repr_var():
    payload = str(request.get_json())
    # ruleid: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["Upstash-Signature"], body=payload)
    return "ok"


async def starlette_raw(request):
    body = (await request.body()).decode()
    # ok: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["upstash-signature"], body=body, url=str(request.url))
    return JSONResponse({"id": json.loads(body)["id"]})


# ---- a parsed body kept in a variable, then handed back as text ------------------------------
import falcon


@api.post("/qstash/str")
async def fastapi_str_of_parsed(request: Request):
    payload = await request.json()
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("upstash-signature", ""), body=str(payload), url=str(request.url))
    except Exception:
        raise HTTPException(status_code=401)
    return {"ok": True}


@app.post("/flask/repr")
def flask_repr_of_parsed():
    data = request.get_json(force=True)
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=repr(data))
    except Exception:
        abort(401)
    return "ok"


class FalconJobs:
    def on_post(self, req, resp):
        payload = req.media
        try:
            # ruleid: upstash-qstash-verify-reserialised-body-python
            receiver.verify(signature=req.get_header("Upstash-Signature") or "", body=str(payload), url=req.url)
        except Exception:
            raise falcon.HTTPUnauthorized()
        resp.media = {"ok": True}


def django_loaded(request):
    data = json.loads(request.body)
    try:
        # ruleid: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=data)
    except Exception:
        return HttpResponse(status=401)
    return HttpResponse("ok")


async def starlette_two_steps(request):
    payload = await request.json()
    text = str(payload)
    # ruleid: upstash-qstash-verify-reserialised-body-python
    receiver.verify(signature=request.headers["upstash-signature"], body=text, url=str(request.url))
    return JSONResponse(payload)


class FalconRaw:
    def on_post(self, req, resp):
        raw = req.bounded_stream.read().decode()
        try:
            # ok: upstash-qstash-verify-reserialised-body-python
            receiver.verify(signature=req.get_header("Upstash-Signature") or "", body=raw, url=req.url)
        except Exception:
            raise falcon.HTTPUnauthorized()
        payload = json.loads(raw)
        resp.media = {"id": payload["id"]}


def django_raw_then_parsed(request):
    raw = request.body.decode()
    data = json.loads(raw)
    try:
        # ok: upstash-qstash-verify-reserialised-body-python
        receiver.verify(signature=request.headers.get("Upstash-Signature", ""), body=raw, url=request.build_absolute_uri())
    except Exception:
        return HttpResponse(status=401)
    return HttpResponse(str(data))
