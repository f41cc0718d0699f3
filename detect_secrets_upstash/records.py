"""Frozen dataclasses without the start-up price of `@dataclass(frozen=True)`.

`dataclass` writes `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` as source text and compiles it with `exec` for every class: about 4.3M
instructions a class under valgrind, and the seven record classes on the pre-commit hook's
import path were ~4% of its start-up. `frozen_record` lets `dataclass` collect the fields
only (no generated methods: ~0.3M a class) and adds equivalent methods built from
closures, so a record is still a dataclass to `dataclasses.fields`, `replace` and `asdict`,
compares and hashes by its fields, and cannot be assigned to (`FrozenInstanceError`).
Methods the class writes itself (`__repr__`) are kept, as `dataclass` keeps them.

A class needs a docstring: without one, `dataclass` builds one from `inspect.signature`,
which costs what this module saves.
"""
import dataclasses
import operator

_MISSING = dataclasses.MISSING


def _values_getter(names):
    """record -> the tuple of its `names` values (also for one name, or none)."""
    if len(names) == 1:
        return lambda record: (getattr(record, names[0]),)
    if not names:
        return lambda record: ()
    return operator.attrgetter(*names)


def frozen_record(cls):
    """`@dataclass(frozen=True)` for `cls`, its methods made without `exec`."""
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)
    names = tuple(field.name for field in fields)
    known = frozenset(names)
    defaults = {field.name: field.default for field in fields if field.default is not _MISSING}
    factories = {field.name: field.default_factory for field in fields
                 if field.default_factory is not _MISSING}
    shown = tuple(field.name for field in fields if field.repr)
    name_of_class = cls.__qualname__
    # as `dataclass` compares and hashes: the fields with `compare` (and `hash`, when given)
    compared = tuple(field.name for field in fields if field.compare)
    hashed = tuple(field.name for field in fields if (field.compare if field.hash is None else field.hash))
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
        raise dataclasses.FrozenInstanceError(f'cannot assign to field {name!r}')

    def __delattr__(self, name):
        raise dataclasses.FrozenInstanceError(f'cannot delete field {name!r}')

    methods = {'__init__': __init__, '__eq__': __eq__, '__hash__': __hash__, '__repr__': __repr__,
               '__setattr__': __setattr__, '__delattr__': __delattr__}
    for name, method in methods.items():
        if name == '__repr__' and name in cls.__dict__:
            continue
        method.__qualname__ = f'{name_of_class}.{name}'
        setattr(cls, name, method)
    return cls
