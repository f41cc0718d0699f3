"""Safe verification of Upstash credentials (see `upstash-verify` and docs/verify.md).

    from detect_secrets_upstash.verify import HostPolicy, Options, from_baseline, verify_credentials

    policy = HostPolicy.of([])                   # Upstash hosts only
    credentials, _ = from_baseline('.secrets.baseline', policy)
    results = verify_credentials(credentials, Options(policy=policy))
"""
from .http import HostPolicy
from .inputs import from_baseline
from .inputs import from_env_lines
from .inputs import from_pair
from .inputs import InputError
from .model import Credential
from .model import Result
from .verifier import Options
from .verifier import verify_credentials

__all__ = ['HostPolicy', 'Options', 'Credential', 'Result', 'InputError', 'from_baseline',
           'from_env_lines', 'from_pair', 'verify_credentials']
