"""`records.frozen_record` behaves as `@dataclass(frozen=True)` for every record that uses it.

The catalogue, scanner, findings, patches and decoded tokens are made with it instead of
`dataclass` (start-up cost); a difference would show as a baseline that does not compare,
a set of findings that does not dedupe, or a record that can be changed.
"""
import dataclasses
import sys
from typing import ClassVar  # noqa: F401  (named by a string annotation below)
from typing import Optional
from typing import Tuple

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.records import frozen_record
from tests.helpers import run


def _pair():
    """The same class made both ways (with `field(...)` specs: `dataclass` collects the fields at once)."""
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


def _plain_pair():
    """The same class made both ways, with plain defaults, as the package's records are
    (`dataclass` collects the fields when they are first asked for)."""
    def body():
        return {
            '__annotations__': {'name': str, 'count': int, 'tags': Tuple[str, ...], 'note': Optional[str]},
            '__doc__': 'A test record.',
            'count': 0,
            'tags': (),
            'note': None,
        }
    ours = frozen_record(type('Record', (), body()))
    theirs = dataclasses.dataclass(frozen=True)(type('Record', (), body()))
    return ours, theirs


@pytest.mark.parametrize('args, kwargs', [
    (('a',), {}), (('a', 2), {}), (('a',), {'tags': ('x',)}), ((), {'name': 'b', 'count': 3, 'note': 'n'}),
])
def test_a_record_with_plain_defaults_is_the_dataclass_to_every_dataclasses_function(args, kwargs):
    ours, theirs = _plain_pair()
    mine, reference = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert dataclasses.is_dataclass(mine) and dataclasses.is_dataclass(ours)
    assert [(f.name, f.type, f.default) for f in dataclasses.fields(mine)] == \
        [(f.name, f.type, f.default) for f in dataclasses.fields(reference)]
    assert dataclasses.asdict(mine) == dataclasses.asdict(reference)
    assert dataclasses.astuple(mine) == dataclasses.astuple(reference)
    assert repr(mine) == repr(reference)
    assert mine == ours(*args, **kwargs) and hash(mine) == hash(ours(*args, **kwargs))
    assert dataclasses.astuple(dataclasses.replace(mine, count=7)) == \
        dataclasses.astuple(dataclasses.replace(reference, count=7))
    assert dataclasses.replace(mine, count=mine.count + 1) != mine
    assert mine != reference
    with pytest.raises(TypeError):
        dataclasses.replace(mine, colour='red')
    with pytest.raises(dataclasses.FrozenInstanceError):
        mine.name = 'b'


def test_a_subclass_of_a_record_with_plain_defaults_has_its_fields_and_its_own():
    ours, _ = _plain_pair()
    child = frozen_record(type('Child', (ours,), {'__annotations__': {'extra': int}, '__doc__': 'A child.',
                                                 'extra': 1}))
    assert [f.name for f in dataclasses.fields(child('a'))] == ['name', 'count', 'tags', 'note', 'extra']
    assert child('a', extra=2) == child('a', 0, (), None, 2) != child('a')
    assert [f.name for f in dataclasses.fields(ours)] == ['name', 'count', 'tags', 'note']


def test_string_annotations_are_fields_and_a_string_class_variable_is_not():
    # as in a module with `from __future__ import annotations`
    def body():
        return {'__annotations__': {'name': 'str', 'count': 'int', 'limit': 'ClassVar[int]'},
                '__doc__': 'A test record.', '__module__': __name__, 'count': 0, 'limit': 3}
    ours = frozen_record(type('Record', (), body()))
    theirs = dataclasses.dataclass(frozen=True)(type('Record', (), body()))
    assert [(f.name, f.type) for f in dataclasses.fields(ours)] == \
        [(f.name, f.type) for f in dataclasses.fields(theirs)] == [('name', 'str'), ('count', 'int')]
    assert dataclasses.astuple(ours('a')) == dataclasses.astuple(theirs('a')) == ('a', 0)
    with pytest.raises(TypeError):
        ours('a', 1, 2)
    plain = frozen_record(type('Plain', (), {'__annotations__': {'name': 'str', 'count': 'int'},
                                             '__doc__': 'A test record.', 'count': 0}))
    assert dataclasses.replace(plain('a'), count=2) == plain('a', 2)
    assert [f.name for f in dataclasses.fields(plain)] == ['name', 'count']


def test_a_mutable_default_is_refused_as_dataclass_refuses_it():
    body = {'__annotations__': {'a': list}, '__doc__': 'A test record.', 'a': []}
    with pytest.raises(ValueError, match='mutable default'):
        dataclasses.dataclass(frozen=True)(type('Record', (), dict(body)))
    with pytest.raises(ValueError, match='mutable default'):
        frozen_record(type('Record', (), dict(body)))


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



# The pre-commit hook on a clean file, then what a caller of the records asks.
HOOK_THEN_FIELDS = '''
import sys
from detect_secrets_upstash import catalogue, cli
status = cli.hook_main(sys.argv[1:])
print(status, 'dataclasses' in sys.modules)
import dataclasses
kind = catalogue.BY_ID['redis_rest_token']
print(dataclasses.fields(kind)[0].name, dataclasses.replace(kind) == kind, dataclasses.asdict(kind)['id'])
'''


def test_the_hook_does_not_import_dataclasses_and_the_records_are_dataclasses_afterwards(tmp_path):
    (tmp_path / 'clean.py').write_text('print("hello")\n')
    result = run([sys.executable, '-c', HOOK_THEN_FIELDS, 'clean.py'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['0 False', 'id True redis_rest_token']
