"""Semantic search over the product catalogue."""
import os

from upstash_vector import Index

# Read-only token: enough for queries.
index = Index(url="https://calm-finch-70022-eu1-vector.upstash.io",
              token="ABQIMGNhbG0tZmluY2gtNzAwMjItZXUxcmVhZG9ubHlNakl6TXpGa09HSXRNekE1WVMwME5HRTNMV0V5TUdJdFpUSXhNak0wT0dSalpqYzE=")

# Taken from the environment: not reported.
qstash_token = os.environ.get("QSTASH_TOKEN", "${QSTASH_TOKEN}")


def search(text: str, top_k: int = 5):
    return index.query(data=text, top_k=top_k, include_metadata=True)
