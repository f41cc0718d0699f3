# Test cases for upstash-qstash-receiver-never-used-python.
import os

from flask import Flask, abort, request
from qstash import Receiver

app = Flask(__name__)

# ---- misuse ---------------------------------------------------------------------------------

# ruleid: upstash-qstash-receiver-never-used-python
receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


@app.route("/qstash/job", methods=["POST"])
def job():
    data = request.get_json()
    run(data)
    return "ok"


class QStashResource:
    def on_post(self, req, resp):
        # ruleid: upstash-qstash-receiver-never-used-python
        unused = Receiver(
            current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
            next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
        )
        run(req.media)
        resp.media = {"ok": True}


# ---- correct --------------------------------------------------------------------------------

# ok: upstash-qstash-receiver-never-used-python
verifier = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


@app.route("/qstash/verified", methods=["POST"])
def verified():
    try:
        verifier.verify(
            signature=request.headers.get("Upstash-Signature", ""),
            body=request.get_data(as_text=True),
            url=request.url,
        )
    except Exception:
        abort(401)
    run(request.get_json())
    return "ok"


class Verifier:
    def __init__(self):
        # ok: upstash-qstash-receiver-never-used-python
        self.receiver = Receiver(
            current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
            next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
        )

    def check(self, request):
        self.receiver.verify(signature=request.headers["Upstash-Signature"], body=request.get_data(as_text=True))


def make_receiver():
    # ok: upstash-qstash-receiver-never-used-python
    built = Receiver(
        current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
        next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
    )
    return built


# ---- class-based views: a class attribute or self.<name> -----------------------------------

from django.http import HttpResponse, HttpResponseForbidden
from django.views import View
from flask.views import MethodView
from qstash.errors import SignatureError


class DeliveryView(View):
    # ok: upstash-qstash-receiver-never-used-python
    receiver = Receiver(
        current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
        next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
    )

    def post(self, request):
        try:
            self.receiver.verify(
                signature=request.headers.get("Upstash-Signature", ""),
                body=request.body.decode(),
                url=request.build_absolute_uri(),
            )
        except SignatureError:
            return HttpResponseForbidden()
        run(request.body)
        return HttpResponse("ok")


class ForgottenView(View):
    # ruleid: upstash-qstash-receiver-never-used-python
    receiver = Receiver(
        current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
        next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
    )

    def post(self, request):
        run(request.body)
        return HttpResponse("ok")


class ForgottenApi(MethodView):
    def __init__(self):
        # ruleid: upstash-qstash-receiver-never-used-python
        self.receiver = Receiver(
            current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
            next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
        )

    def post(self):
        run(request.get_json())
        return {"ok": True}


def check_delivery(receiver, req):
    receiver.verify(signature=req.headers["Upstash-Signature"], body=req.get_data(as_text=True))


class HelperApi(MethodView):
    def __init__(self):
        # ok: upstash-qstash-receiver-never-used-python
        self._qstash = Receiver(
            current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
            next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
        )

    def post(self):
        check_delivery(self._qstash, request)
        run(request.get_json())
        return {"ok": True}


class ClassMethodView(View):
    # ok: upstash-qstash-receiver-never-used-python
    receiver = Receiver(
        current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
        next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
    )

    @classmethod
    def verify_delivery(cls, request):
        cls.receiver.verify(signature=request.headers["Upstash-Signature"], body=request.body.decode())
