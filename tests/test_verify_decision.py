"""The plugin (`scan` with UPSTASH_VERIFY=1, `--only-verified`, `audit`) and `upstash-verify`
decide with one function, so they can never disagree about a credential.

Each case is verified both ways against the stand-in, and the two answers must agree:
live <-> VERIFIED_TRUE, revoked <-> VERIFIED_FALSE (detect-secrets then drops the finding),
anything else <-> UNVERIFIED. A token next to the URL of *another* database that refuses
it (401) proves nothing about the token: unknown, and the finding is kept.
"""
import pytest
from detect_secrets.constants import VerifiedResult

from detect_secrets_upstash.catalogue import identify
from detect_secrets_upstash.verify import plugin
from detect_secrets_upstash.verify.http import HostPolicy
from detect_secrets_upstash.verify.model import Credential
from detect_secrets_upstash.verify.verifier import Options
from detect_secrets_upstash.verify.verifier import verify_credentials

AS_VERIFIED = {'live': VerifiedResult.VERIFIED_TRUE, 'revoked': VerifiedResult.VERIFIED_FALSE,
               'unknown': VerifiedResult.UNVERIFIED, 'skipped': VerifiedResult.UNVERIFIED}
MISMATCH = 'token is for database 1 but the nearby URL names database 2'


def _redis(standin, token, url=True, mismatch=False):
    kind, decoded = identify(token)
    return Credential(kind, token, decoded, url=standin.url if url else None, location='app.env:2',
                      note=MISMATCH if mismatch else None, host_mismatch=mismatch)


def _other(token):
    kind, decoded = identify(token)
    return Credential(kind, token, decoded, location='app.env:3')


def case_live(standin):
    return _redis(standin, standin.new_database().token), 'live'


def case_read_only(standin):
    return _redis(standin, standin.new_database().read_only_token), 'live'


def case_revoked(standin):
    database = standin.new_database()
    standin.revoke(database.token)
    return _redis(standin, database.token), 'revoked'


def case_refused_by_another_database(standin):
    database = standin.new_database()
    standin.revoke(database.token)          # the host near it answers 401
    return _redis(standin, database.token, mismatch=True), 'unknown'


def case_live_next_to_another_database(standin):
    return _redis(standin, standin.new_database().token, mismatch=True), 'live'


def case_server_error(standin):
    credential = _redis(standin, standin.new_database().token)
    standin.set_fault('500')
    return credential, 'unknown'


def case_rate_limited(standin):
    credential = _redis(standin, standin.new_database().token)
    standin.set_fault('429')
    return credential, 'unknown'


def case_no_url(standin):
    return _redis(standin, standin.new_database().token, url=False), 'skipped'


def case_qstash_live(standin):
    return _other(standin.new_qstash_account().token), 'live'


def case_qstash_revoked(standin):
    account = standin.new_qstash_account()
    standin.revoke(account.token)
    return _other(account.token), 'revoked'


def case_vector_live(standin):
    return _other(standin.new_vector_index().token), 'live'


CASES = [value for name, value in sorted(globals().items()) if name.startswith('case_')]


@pytest.mark.parametrize('case', CASES, ids=lambda case: case.__name__[5:])
def test_plugin_and_cli_decide_alike(standin, case):
    credential, expected = case(standin)
    options = Options(policy=HostPolicy.of(['127.0.0.1']),
                      product_urls={'qstash': (standin.url,), 'vector': (standin.url,)})
    (result,) = verify_credentials([credential], options)
    assert result.status == expected, result.detail
    assert plugin.verified_result(credential, options) is AS_VERIFIED[expected]
