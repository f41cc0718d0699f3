# Test cases for upstash-qstash-hardcoded-signing-key-python.
# Every key below was generated for this file (detect_secrets_upstash.tokens.generate_signing_key)
# and belongs to no account.
import os

from qstash import Receiver

# ---- misuse ---------------------------------------------------------------------------------

receiver = Receiver(
    # ruleid: upstash-qstash-hardcoded-signing-key-python
    current_signing_key="sig_iRSK5tQPvoATcfGBn5sjAwcXuK4C",
    # ruleid: upstash-qstash-hardcoded-signing-key-python
    next_signing_key='sig_btENMZfUiibxhXLSK4mc872RdmqH',
)

fallback = Receiver(
    # ruleid: upstash-qstash-hardcoded-signing-key-python
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", "sig_GU2Ux1M9LyvTQcW5L6uJ3xUcH6K9"),
    # ruleid: upstash-qstash-hardcoded-signing-key-python
    next_signing_key=os.getenv("QSTASH_NEXT_SIGNING_KEY") or "sig_8FSu2gEncRHinGGAQhHLAPdGFLGQ",
)

# ruleid: upstash-qstash-hardcoded-signing-key-python
QSTASH_CURRENT_SIGNING_KEY = "sig_AK6ZS1jqyqfLGr6LTcGmjacimkED"

# The older upstash_qstash package took a dict.
from upstash_qstash import Receiver as LegacyReceiver

legacy = LegacyReceiver({
    # ruleid: upstash-qstash-hardcoded-signing-key-python
    "current_signing_key": "sig_U7F9gwHZf6sJ2U3UYv3vAPv9H2Cn",
    "next_signing_key": os.environ["QSTASH_NEXT_SIGNING_KEY"],
})

# ---- correct --------------------------------------------------------------------------------

from_env = Receiver(
    # ok: upstash-qstash-hardcoded-signing-key-python
    current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"],
    # ok: upstash-qstash-hardcoded-signing-key-python
    next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"],
)

placeholders = Receiver(
    # ok: upstash-qstash-hardcoded-signing-key-python
    current_signing_key="sig_xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    # ok: upstash-qstash-hardcoded-signing-key-python
    next_signing_key="YOUR_NEXT_SIGNING_KEY",
)


# ---- the local dev server's published keys: INFO, not a leaked secret -------------------------

dev_receiver = Receiver(
    # ruleid: upstash-qstash-dev-server-signing-key-python
    current_signing_key=os.environ.get("QSTASH_CURRENT_SIGNING_KEY", "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r"),
    # ruleid: upstash-qstash-dev-server-signing-key-python
    next_signing_key=os.environ.get("QSTASH_NEXT_SIGNING_KEY", "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs"),
)
