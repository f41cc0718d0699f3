"""`records.frozen_record` behaves as `@dataclass(frozen=True)` for every record that uses it.

The catalogue, scanner, findings, patches and decoded tokens are made with it instead of
`dataclass` (start-up cost); a difference would show as a baseline that does not compare,
a set of findings that does not dedupe, or a record that can be changed.
"""
import dataclasses
from typing import Optional
from typing import Tuple

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.records import frozen_record


def _pair():
    """The same class made both ways."""
    def body():
        return {
            '__annotations__': {'name': str, 'count': int, 'tags': Tuple[str, ...], 'note': Optional[str]},
            '__doc__': 'A test record.',
            'count': 0,
            'tags': dataclasses.field(default_factory=tuple),
            'note': dataclasses.field(default=None, compare=False),
        }
    ours = frozen_record(type('Record', (), body()))
    theirs = dataclasses.dataclass(frozen=True)(type('Record', (), body()))
    return ours, theirs


@pytest.mark.parametrize('args, kwargs', [
    (('a',), {}), (('a', 2), {}), (('a',), {'tags': ('x',)}), ((), {'name': 'b', 'count': 3, 'note': 'n'}),
])
def test_construction_equality_hash_and_repr_are_the_dataclass_ones(args, kwargs):
    ours, theirs = _pair()
    mine, reference = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert dataclasses.astuple(mine) == dataclasses.astuple(reference)
    assert repr(mine) == repr(reference)
    assert mine == ours(*args, **kwargs) and hash(mine) == hash(ours(*args, **kwargs))
    # a field with compare=False takes no part in equality or the hash
    other_note = dataclasses.replace(mine, note='other')
    assert (other_note == mine, hash(other_note) == hash(mine)) == (True, True)
    assert dataclasses.replace(reference, note='other') == reference
    # another value of a compared field, or another class, is not equal
    assert dataclasses.replace(mine, count=mine.count + 1) != mine
    assert mine != reference


@pytest.mark.parametrize('args, kwargs', [
    ((), {}), (('a', 1, (), None, 'extra'), {}), (('a',), {'name': 'b'}), (('a',), {'colour': 'red'}),
])
def test_wrong_arguments_raise_type_error_as_dataclass_does(args, kwargs):
    ours, theirs = _pair()
    with pytest.raises(TypeError):
        theirs(*args, **kwargs)
    with pytest.raises(TypeError):
        ours(*args, **kwargs)


def test_a_record_cannot_be_changed():
    ours, _ = _pair()
    record = ours('a')
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = 'b'
    with pytest.raises(dataclasses.FrozenInstanceError):
        del record.count
    assert record.name == 'a'


def test_the_records_of_the_package_are_frozen_dataclasses_that_compare_by_value():
    token = tokens.generate_redis_token()
    decoded = tokens.decode_redis_token(token)
    kind = catalogue.BY_ID['redis_rest_token']
    records = [decoded, tokens.decode_vector_token(tokens.generate_vector_token(tokens.generate_endpoint())),
               kind, catalogue.PRODUCTS_BY_ID['redis'], catalogue.identify(token)[1]]
    for record in records:
        assert dataclasses.is_dataclass(record)
        assert dataclasses.replace(record) == record and hash(dataclasses.replace(record)) == hash(record)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, dataclasses.fields(record)[0].name, None)
    assert decoded.scope == tokens.READ_WRITE
    assert dataclasses.replace(decoded, read_only=True).scope == tokens.READ_ONLY
