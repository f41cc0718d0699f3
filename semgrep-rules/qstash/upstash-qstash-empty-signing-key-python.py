# Test cases for upstash-qstash-empty-signing-key-python.
import os

from qstash import Receiver
import qstash

# ---- misuse ---------------------------------------------------------------------------------

# ruleid: upstash-qstash-empty-signing-key-python
receiver = Receiver(current_signing_key="", next_signing_key="")

# ruleid: upstash-qstash-empty-signing-key-python
by_module = qstash.Receiver(current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"], next_signing_key='')

# A missing variable becomes the empty key.
# ruleid: upstash-qstash-empty-signing-key-python
from_env_default = Receiver(
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", ""),
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", ""),
)

# ruleid: upstash-qstash-empty-signing-key-python
from_getenv_or = Receiver(
    current_signing_key=(os.getenv("QSTASH_CURRENT_SIGNING_KEY") or "").strip(),
    next_signing_key=os.getenv("QSTASH_NEXT_SIGNING_KEY", ""),
)

from upstash_qstash import Receiver as LegacyReceiver

# ruleid: upstash-qstash-empty-signing-key-python
legacy = LegacyReceiver({
    "current_signing_key": "",
    "next_signing_key": os.environ["QSTASH_NEXT_SIGNING_KEY"],
})

# ---- correct --------------------------------------------------------------------------------

# ok: upstash-qstash-empty-signing-key-python
required = Receiver(
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)

# ok: upstash-qstash-empty-signing-key-python
with_getenv = Receiver(
    current_signing_key=os.getenv("QSTASH_CURRENT_SIGNING_KEY"),
    next_signing_key=os.getenv("QSTASH_NEXT_SIGNING_KEY"),
)


def make_receiver(current: str, following: str) -> Receiver:
    # ok: upstash-qstash-empty-signing-key-python
    return Receiver(current_signing_key=current, next_signing_key=following)


# Not a QStash receiver: another library's keyword of the same name.
# ok: upstash-qstash-empty-signing-key-python
webhook = WebhookClient(current_signing_key="", next_signing_key="")
