"""The catalogue's own examples, counter examples and look-alikes, plus freshly generated
credentials of every kind and layout, through the scanner and the decoders (in process:
the CLI tests in test_detection_formats.py cover the same kinds end to end)."""
import base64

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.findings import line_credentials
from detect_secrets_upstash.plugins import UpstashDetector
from detect_secrets_upstash.scanner import find_credentials

EXAMPLES = [(kind, example) for kind in catalogue.KINDS for example in kind.examples]
COUNTER_EXAMPLES = [(kind, example) for kind in catalogue.KINDS for example in kind.counter_examples]
GENERATORS = [(kind, name, generate) for kind in catalogue.KINDS for name, generate in kind.generators]
# Kinds whose value alone is a finding (`Kind.identified_by`): their bytes layer is tested alone.
BYTES_GENERATORS = [(kind, name, generate) for kind, name, generate in GENERATORS
                    if kind.identified_by == catalogue.BYTES]


def _ids(found):
    return [f.kind.id for f in found]


def _reported(text):
    """What the plugin reports in `text`, each line seeing the others as its context."""
    lines = text.split('\n')
    return [c.found for line in lines for c in line_credentials(line, '', lines)]


def _found_as(kind, text):
    """The layer that identifies `kind`: its bytes, or (a kind only context identifies) the
    plugin's whole reading of the lines."""
    return find_credentials(text) if kind.identified_by == catalogue.BYTES else _reported(text)


def test_every_kind_has_examples_and_generators():
    for kind in catalogue.KINDS:
        assert kind.examples, kind
        assert kind.generators, kind
        assert kind.secret_type.startswith('Upstash '), kind
    assert len(catalogue.SECRET_TYPES) == len(catalogue.KINDS)     # secret types are unique


def test_secret_types_the_issue_names():
    assert {'Upstash Redis REST Token', 'Upstash Redis Read-Only Token', 'Upstash QStash Token',
            'Upstash QStash Signing Key', 'Upstash Vector Token',
            'Upstash Vector Read-Only Token'} <= set(catalogue.SECRET_TYPES)


@pytest.mark.parametrize('kind,example', EXAMPLES, ids=[f'{k.id}-{i}' for i, (k, _) in enumerate(EXAMPLES)])
def test_example_is_found_as_its_kind(kind, example):
    found = _found_as(kind, example)
    assert _ids(found) == [kind.id]
    assert found[0].value in example
    assert found[0].decoded.scope == kind.scope


@pytest.mark.parametrize('kind,example', COUNTER_EXAMPLES,
                         ids=[f'{k.id}-{i}' for i, (k, _) in enumerate(COUNTER_EXAMPLES)])
def test_counter_example_is_not_reported(kind, example):
    assert find_credentials(example) == []
    assert _reported(example) == []


@pytest.mark.parametrize('line', catalogue.LOOK_ALIKES)
def test_look_alike_is_not_reported(line):
    assert find_credentials(line) == []
    assert UpstashDetector().analyze_line(filename='x', line=line, line_number=1) == set()


def test_public_qstash_dev_credentials_are_never_reported():
    assert catalogue.PUBLIC_VALUES
    for value in catalogue.PUBLIC_VALUES:
        assert find_credentials(f'QSTASH_TOKEN="{value}"') == []
        assert catalogue.identify(value) is None


def _variants(value):
    """The same credential as people write it: base64url or standard alphabet, padded or not."""
    yield 'as generated', value
    if value.startswith(('A', 'g')):       # Redis and Vector tokens are plain base64 blobs
        bare = value.rstrip('=')
        padded = bare + '=' * (-len(bare) % 4)
        yield 'unpadded', bare
        yield 'padded', padded
        yield 'standard alphabet', padded.replace('-', '+').replace('_', '/')
        yield 'url-safe alphabet', bare.replace('+', '-').replace('/', '_')


@pytest.mark.parametrize('kind,layout,generate', GENERATORS,
                         ids=[f'{k.id}-{name}' for k, name, _ in GENERATORS])
def test_generated_credentials_of_every_layout_are_found(kind, layout, generate):
    for _ in range(25):
        for variant, value in _variants(generate()):
            if kind.identified_by == catalogue.CONTEXT:
                # alone, a value of a common form (a UUID) is nothing; where its kind stands, it is
                assert _reported(f'value = "{value}"') == []
            found = _found_as(kind, kind.placed(f'value = "{value}"') if kind.identified_by == catalogue.BYTES
                              else kind.placed(value))
            assert _ids(found) == [kind.id], (variant, value)
            assert found[0].decoded.scope == kind.scope
            if kind.product == 'redis' and kind.id != 'redis_password':
                assert found[0].decoded.layout == layout


@pytest.mark.parametrize('read_only', [False, True])
@pytest.mark.parametrize('layout', ['current', 'id64', 'legacy'])
def test_redis_token_decodes_to_its_database_and_scope(layout, read_only):
    database_id = 4_100_000_123 if layout == 'id64' else 10123
    token = tokens.generate_redis_token(database_id, read_only=read_only, layout=layout)
    decoded = tokens.decode_redis_token(token)
    # a read-write token of a tailed layout repeats its database id in the tail
    tail = database_id if not read_only and layout != 'legacy' else None
    assert decoded == tokens.RedisToken(read_only, database_id, layout, tail)
    # cut short by one character, or another flag byte: not a token
    assert tokens.decode_redis_token(token.rstrip('=')[:-1]) is None
    assert tokens.decode_redis_token({'A': 'B', 'g': 'h'}[token[0]] + token[1:]) is None


@pytest.mark.parametrize('user', ['default', 'default_ro', ''])
@pytest.mark.parametrize('read_only', [False, True])
def test_token_as_redis_url_password_carries_host(user, read_only):
    host = f'{tokens.generate_host_name(777)}.upstash.io'
    token = tokens.generate_redis_token(777, read_only=read_only)
    found = find_credentials(f'REDIS_URL=rediss://{user}:{token}@{host}:6379')
    assert _ids(found) == ['redis_read_only_token' if read_only else 'redis_rest_token']
    assert found[0].value == token
    assert found[0].host == host
    assert found[0].user == user


def test_percent_encoded_padding_in_a_url_password():
    token = tokens.generate_redis_token(layout='legacy')
    assert token.endswith('=')
    quoted = token.replace('=', '%3D')
    found = find_credentials(f'rediss://default:{quoted}@fine-mole-1.upstash.io:6379')
    assert _ids(found) == ['redis_rest_token']


def test_legacy_password_only_on_upstash_hosts():
    password = tokens.generate_legacy_redis_password()
    on_upstash = find_credentials(f'redis://default:{password}@us1-fine-mole-31.upstash.io:31')
    assert _ids(on_upstash) == ['redis_password']
    assert on_upstash[0].value == password
    assert find_credentials(f'redis://default:{password}@redis.example.com:6379') == []
    assert find_credentials(password) == []             # 32 hex alone: could be anything


def test_token_in_url_on_another_host_is_still_found_by_structure():
    token = tokens.generate_redis_token()
    found = find_credentials(f'rediss://default:{token}@redis.internal.example:6379')
    assert _ids(found) == ['redis_rest_token']
    assert found[0].host is None


def test_vector_token_names_its_endpoint():
    endpoint = tokens.generate_endpoint()
    for read_only in (False, True):
        token = tokens.generate_vector_token(endpoint, read_only=read_only)
        (found,) = find_credentials(token)
        assert found.decoded.endpoint == endpoint
        assert found.kind.scope == (tokens.READ_ONLY if read_only else tokens.READ_WRITE)


def test_several_credentials_on_one_line_are_all_found():
    values = [generate() for _, _, generate in BYTES_GENERATORS]
    found = find_credentials(' ; '.join(f'"{v}"' for v in values))
    assert _ids(found) == [kind.id for kind, _, _ in BYTES_GENERATORS]


def test_random_base64_of_token_length_is_not_a_token():
    # 2,000 random blobs starting like Redis/Vector tokens: none may decode to a layout.
    for _ in range(2000):
        blob = base64.urlsafe_b64encode(b'\x01' + tokens.os.urandom(46)).decode().rstrip('=')
        assert find_credentials(blob) == []


# --- products ---

def test_every_kind_names_a_product_and_sits_under_its_env_families():
    for kind in catalogue.KINDS:
        product = catalogue.product_of(kind)
        assert product.verify_probe, f'{kind.id}: its product {product.id} has no verify probe'
        for name in kind.env_names:
            assert name.startswith(product.env_families), (kind.id, name, product.env_families)


def test_product_records_are_unique_and_complete():
    ids = [product.id for product in catalogue.PRODUCTS]
    assert len(ids) == len(set(ids))
    assert catalogue.FALLBACK_PRODUCT in catalogue.PRODUCTS_BY_ID
    for product in catalogue.PRODUCTS:
        assert product.display_name
        if product.verify_probe:
            module, _, function = product.verify_probe.partition(':')
            import importlib
            assert callable(getattr(importlib.import_module(module), function)), product


def test_hosts_are_matched_to_their_product():
    assert catalogue.product_for_host('brave-otter-10123-us1-vector.upstash.io').id == 'vector'
    assert catalogue.product_for_host('eager-lynx-52107-us1-search.upstash.io').id == 'vector'
    assert catalogue.product_for_host('qstash-eu-central-1.upstash.io').id == 'qstash'
    assert catalogue.product_for_host('fond-heron-24817.upstash.io').id == 'redis'


def test_every_product_derives_urls_only_on_its_own_hosts():
    from urllib.parse import urlsplit
    for kind, _, generate in GENERATORS:
        decoded = kind.decode(generate())
        if decoded is None:
            continue
        product = catalogue.product_of(kind)
        for url in product.derive_urls(decoded):
            assert url.startswith('https://') and product.token_hosts(urlsplit(url).hostname), url


def test_no_host_is_two_products_credentials_destination():
    # a Redis token never goes to the Management API, an account key never to a database
    management = catalogue.PRODUCTS_BY_ID['management']
    assert management.token_hosts('api.upstash.com')
    assert not management.token_hosts('brave-otter-10123.upstash.io')
    for product in catalogue.PRODUCTS:
        if product is not management:
            assert not product.token_hosts('api.upstash.com'), product
            assert not product.token_hosts('console.upstash.com'), product
