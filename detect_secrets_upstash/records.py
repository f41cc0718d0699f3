"""Frozen dataclasses without the start-up price of `@dataclass(frozen=True)`.

`dataclass` writes `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` as source text and compiles it with `exec` for every class: about 4.3M
instructions a class under valgrind, and the seven record classes on the pre-commit hook's
import path were ~4% of its start-up. `frozen_record` adds equivalent methods built from
closures, so a record compares and hashes by its fields and cannot be assigned to
(`FrozenInstanceError`). Methods the class writes itself (`__repr__`) are kept, as
`dataclass` keeps them.

A record is still a dataclass to `dataclasses.fields`, `replace`, `asdict` and
`is_dataclass`: its `__dataclass_fields__` is made by `dataclass` (fields only, no generated
methods) the first time it is read. Until then `dataclasses` is not imported at all (the
hook never reads them, and stock detect-secrets does not import the module). That holds for
a class whose fields are plain annotations with plain defaults; one with `field(...)`
defaults, `ClassVar`, `InitVar` or `KW_ONLY` annotations, or dataclass bases is made by
`dataclass` at once, as before. Annotations may be strings (`from __future__ import
annotations`, which the modules on the hook's path use: evaluating `typing` subscripts at
class creation was most of a record class's cost); `dataclass` then keeps them as strings.

A class needs a docstring: without one, `dataclass` builds one from `inspect.signature`,
which costs what this module saves.
"""
import operator
import typing


def _values_getter(names):
    """record -> the tuple of its `names` values (also for one name, or none)."""
    if len(names) == 1:
        return lambda record: (getattr(record, names[0]),)
    if not names:
        return lambda record: ()
    return operator.attrgetter(*names)


class _FieldsOnFirstUse:
    """A record's `__dataclass_fields__`: `dataclass` collects them when first read."""

    def __get__(self, instance, owner):
        import dataclasses
        record = next(cls for cls in owner.__mro__ if cls.__dict__.get('__dataclass_fields__') is self)
        delattr(record, '__dataclass_fields__')
        dataclasses.dataclass(init=False, repr=False, eq=False)(record)
        return getattr(owner, '__dataclass_fields__')


def _plain_fields(cls):
    """(names, defaults) of a class whose fields `dataclass` would take as written, without
    importing `dataclasses`; None when it must look (or would refuse the class)."""
    for base in cls.__mro__[1:]:
        if '__dataclass_fields__' in base.__dict__:
            return None
    annotations = cls.__dict__.get('__annotations__', {})
    for annotation in annotations.values():
        if isinstance(annotation, str):     # `from __future__ import annotations`
            if any(word in annotation for word in ('ClassVar', 'InitVar', 'KW_ONLY')):
                return None
        elif (annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar
                or type(annotation).__module__ == 'dataclasses'):     # InitVar, KW_ONLY
            return None
    names = tuple(annotations)
    defaults = {}
    for name in names:
        if name in cls.__dict__:
            value = cls.__dict__[name]
            # a field(...) spec, or a mutable default dataclass refuses
            if type(value).__module__ == 'dataclasses' or type(value).__hash__ is None:
                return None
            defaults[name] = value
    return names, defaults


def _frozen_error(message: str) -> Exception:
    import dataclasses
    return dataclasses.FrozenInstanceError(message)


def frozen_record(cls):
    """`@dataclass(frozen=True)` for `cls`, its methods made without `exec`."""
    plain = _plain_fields(cls)
    if plain is not None:
        names, defaults = plain
        factories = {}
        shown = compared = hashed = names
        cls.__dataclass_fields__ = _FieldsOnFirstUse()
    else:
        import dataclasses
        missing = dataclasses.MISSING
        cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        fields = dataclasses.fields(cls)
        names = tuple(field.name for field in fields)
        defaults = {field.name: field.default for field in fields if field.default is not missing}
        factories = {field.name: field.default_factory for field in fields
                     if field.default_factory is not missing}
        shown = tuple(field.name for field in fields if field.repr)
        # as `dataclass` compares and hashes: the fields with `compare` (and `hash`, when given)
        compared = tuple(field.name for field in fields if field.compare)
        hashed = tuple(field.name for field in fields if (field.compare if field.hash is None else field.hash))
    known = frozenset(names)
    name_of_class = cls.__qualname__
    values_of = _values_getter(compared)
    hash_values_of = _values_getter(hashed)

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f'{name_of_class}() takes {len(names)} positional arguments '
                            f'but {len(args)} were given')
        given = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in known:
                raise TypeError(f'{name_of_class}() got an unexpected keyword argument {name!r}')
            if name in given:
                raise TypeError(f'{name_of_class}() got multiple values for argument {name!r}')
            given[name] = value
        values = {}
        for name in names:
            if name in given:
                values[name] = given[name]
            elif name in defaults:
                values[name] = defaults[name]
            elif name in factories:
                values[name] = factories[name]()
            else:
                raise TypeError(f'{name_of_class}() missing required argument: {name!r}')
        self.__dict__.update(values)     # past the frozen __setattr__, as dataclass does

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values_of(self) == values_of(other)
        return NotImplemented

    def __hash__(self):
        return hash(hash_values_of(self))

    def __repr__(self):
        shown_values = ', '.join(f'{name}={getattr(self, name)!r}' for name in shown)
        return f'{self.__class__.__qualname__}({shown_values})'

    def __setattr__(self, name, value):
        raise _frozen_error(f'cannot assign to field {name!r}')

    def __delattr__(self, name):
        raise _frozen_error(f'cannot delete field {name!r}')

    methods = {'__init__': __init__, '__eq__': __eq__, '__hash__': __hash__, '__repr__': __repr__,
               '__setattr__': __setattr__, '__delattr__': __delattr__}
    for name, method in methods.items():
        if name == '__repr__' and name in cls.__dict__:
            continue
        method.__qualname__ = f'{name_of_class}.{name}'
        setattr(cls, name, method)
    return cls
