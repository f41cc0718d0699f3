# Test cases for upstash-qstash-verify-without-url-python.
import os

from qstash import Receiver

receiver = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)


def without_url(signature, body):
    # ruleid: upstash-qstash-verify-without-url-python
    receiver.verify(signature=signature, body=body)


def legacy_without_url(legacy, signature, body):
    # ruleid: upstash-qstash-verify-without-url-python
    legacy.verify({"signature": signature, "body": body})


def with_url(signature, body):
    # ok: upstash-qstash-verify-without-url-python
    receiver.verify(signature=signature, body=body, url="https://example.com/api/jobs")


def with_kwargs(signature, body, options):
    # ok: upstash-qstash-verify-without-url-python
    receiver.verify(signature=signature, body=body, **options)


def legacy_with_url(legacy, signature, body):
    # ok: upstash-qstash-verify-without-url-python
    legacy.verify({"signature": signature, "body": body, "url": "https://example.com/api/jobs"})
