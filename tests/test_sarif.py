"""The shared SARIF builder: every log it makes is valid SARIF 2.1.0 that GitHub code
scanning takes without warnings, and fingerprints follow the secret, not its line."""
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import sarif
from detect_secrets_upstash.tokens import redact

from .sarif_validation import multitool_findings_by_log
from .sarif_validation import schema_errors


def _every_kind_log():
    rules = [sarif.kind_rule(kind) for kind in catalogue.KINDS] + [sarif.kind_rule(None)]
    results = []
    for number, kind in enumerate(catalogue.KINDS, start=1):
        _, generate = kind.generators[0]
        value = generate()
        results.append(sarif.result(kind.id, f'{kind.secret_type} {redact(value)}',
                                    sarif.location_of(f'src/app config/.env.{kind.id}:{number}'),
                                    fingerprint=f'hash-{number}', level='error'))
    results.append(sarif.result('redis_rest_token', 'read from stdin', sarif.location_of('stdin:4'),
                                fingerprint='hash-stdin', level='warning'))
    results.append(sarif.result('unrecognised', 'given with --token', sarif.location_of(None),
                                fingerprint='hash-cli', level='note'))
    return sarif.log('detect-secrets-upstash', rules, results, version='0.1.0')


def _broken_log():
    # a rule without `help` and a result without a location are what GitHub warns about
    document = _every_kind_log()
    run = document['runs'][0]
    del run['tool']['driver']['rules'][0]['help']
    del run['results'][0]['locations']
    return document


@pytest.fixture(scope='module')
def multitool_verdicts(tmp_path_factory):
    """The Multitool's findings on the every-kind log and on a broken copy, from one run of it."""
    good, broken = multitool_findings_by_log([_every_kind_log(), _broken_log()],
                                             tmp_path_factory.mktemp('multitool'))
    return {'good': good, 'broken': broken}


def test_a_log_of_every_kind_validates_against_the_schema_and_github_rules(multitool_verdicts):
    assert schema_errors(_every_kind_log()) == []
    assert multitool_verdicts['good'] == []


def test_rules_carry_what_github_shows():
    document = _every_kind_log()
    driver = document['runs'][0]['tool']['driver']
    assert driver['name'] == 'detect-secrets-upstash'
    assert driver['version'] == '0.1.0' and driver['informationUri'].startswith('https://')
    for rule in driver['rules']:
        assert rule['help']['text'] and rule['help']['markdown']
        assert rule['shortDescription']['text'] != rule['fullDescription']['text']
        assert 0.0 < float(rule['properties']['security-severity']) <= 10.0
        assert 'security' in rule['properties']['tags']
    by_id = {rule['id']: rule for rule in driver['rules']}
    # a read-write token is worse than the read-only one of the same database
    assert (float(by_id['redis_rest_token']['properties']['security-severity'])
            > float(by_id['redis_read_only_token']['properties']['security-severity']))
    assert 'read-only' in by_id['vector_read_only_token']['properties']['tags']


def test_stdin_results_have_a_logical_location_and_files_a_relative_uri():
    results = _every_kind_log()['runs'][0]['results']
    stdin = [r for r in results if 'logicalLocations' in r['locations'][0]]
    assert {r['locations'][0]['logicalLocations'][0]['name'] for r in stdin} == {'stdin', 'command-line'}
    files = [r for r in results if 'physicalLocation' in r['locations'][0]]
    for entry in files:
        uri = entry['locations'][0]['physicalLocation']['artifactLocation']['uri']
        assert uri.startswith('src/app%20config/') and ' ' not in uri


def test_every_result_indexes_its_rule():
    document = _every_kind_log()
    rules = document['runs'][0]['tool']['driver']['rules']
    for entry in document['runs'][0]['results']:
        assert rules[entry['ruleIndex']]['id'] == entry['ruleId']


def test_a_result_for_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        sarif.log('x', [], [sarif.result('nope', 'm', sarif.location_of('a:1'), 'h')])


@settings(max_examples=50, deadline=None)
@given(line_a=st.integers(1, 10**6), line_b=st.integers(1, 10**6),
       path=st.text(st.characters(blacklist_categories=('Cs',)), min_size=1, max_size=40),
       hash_a=st.text('0123456789abcdef', min_size=40, max_size=40),
       hash_b=st.text('0123456789abcdef', min_size=40, max_size=40))
def test_fingerprints_follow_the_secret_not_its_line(line_a, line_b, path, hash_a, hash_b):
    first = sarif.result('redis_rest_token', 'm', sarif.file_location(path, line_a), hash_a)
    moved = sarif.result('redis_rest_token', 'm', sarif.file_location(path, line_b), hash_a)
    other = sarif.result('redis_rest_token', 'm', sarif.file_location(path, line_a), hash_b)
    assert first['partialFingerprints'] == moved['partialFingerprints']
    assert (first['partialFingerprints'] == other['partialFingerprints']) == (hash_a == hash_b)


def test_the_validator_catches_what_github_would_reject(multitool_verdicts):
    # The check above must be able to fail: the broken copy of the same log, validated in
    # the same run, draws GitHub's findings.
    findings = multitool_verdicts['broken']
    assert any(f.startswith('GH') for f in findings), findings
