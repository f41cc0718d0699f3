# Test cases for upstash-qstash-guessable-signing-key-python.
import os

from qstash import Receiver
import qstash

# ---- misuse ---------------------------------------------------------------------------------

# ruleid: upstash-qstash-guessable-signing-key-python
receiver = Receiver(current_signing_key="", next_signing_key="")

# ruleid: upstash-qstash-guessable-signing-key-python
by_module = qstash.Receiver(current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"], next_signing_key='')

# A missing variable becomes the empty key.
# ruleid: upstash-qstash-guessable-signing-key-python
from_env_default = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", ""),
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", ""),
)

# ruleid: upstash-qstash-guessable-signing-key-python
from_getenv_or = Receiver(
    current_signing_key=(os.getenv("QSTASH_CURRENT_SIGNING_KEY") or "").strip(),
    next_signing_key=os.getenv("QSTASH_NEXT_SIGNING_KEY", ""),
)

# A made-up fallback is as good as published.
# ruleid: upstash-qstash-guessable-signing-key-python
mock_fallback = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", "mock_current"),
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", "mock_next"),
)

from upstash_qstash import Receiver as LegacyReceiver

# ruleid: upstash-qstash-guessable-signing-key-python
legacy = LegacyReceiver({
    "current_signing_key": "",
    "next_signing_key": os.environ["QSTASH_NEXT_SIGNING_KEY"],
})

# ---- correct --------------------------------------------------------------------------------

# ok: upstash-qstash-guessable-signing-key-python
required = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)

# ok: upstash-qstash-guessable-signing-key-python
with_getenv = Receiver(
    current_signing_key=os.getenv("QSTASH_CURRENT_SIGNING_KEY"),
    next_signing_key=os.getenv("QSTASH_NEXT_SIGNING_KEY"),
)


# A default that is not a literal is someone else's question.
# ok: upstash-qstash-guessable-signing-key-python
from_settings = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", settings.QSTASH_CURRENT_SIGNING_KEY),
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", settings.QSTASH_NEXT_SIGNING_KEY),
)


def make_receiver(current: str, following: str) -> Receiver:
    # ok: upstash-qstash-guessable-signing-key-python
    return Receiver(current_signing_key=current, next_signing_key=following)


# Not a QStash receiver: another library's keyword of the same name.
# ok: upstash-qstash-guessable-signing-key-python
webhook = WebhookClient(current_signing_key="", next_signing_key="")

# The local dev server's published key as a fallback: upstash-qstash-dev-server-signing-key-python
# reports it (INFO), not this rule.
# ok: upstash-qstash-guessable-signing-key-python
dev_fallback = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r"),
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)
