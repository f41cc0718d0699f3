"""The verify options of every command that verifies (`upstash-verify`, `report --verify`,
`history --verify`) and their environment twins for the plugin, declared once.

Per-product options come from the product records: a product with a `url_override` gets
`--<id>-url URL` (repeatable) and `UPSTASH_VERIFY_<ID>_URL` (comma-separated), which replace
the URLs it derives from a credential; a product that `needs_user` makes `--email` its user.
It stands outside the `verify` package, whose `__init__` loads the HTTP machinery: declaring
the options costs `report` and `history` nothing until they verify.
"""
import argparse
import re
from typing import Dict
from typing import Sequence
from typing import Tuple

from . import catalogue

_EMAIL = re.compile(r'[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+')


def url_products() -> Tuple[catalogue.Product, ...]:
    """The products whose URLs an option can replace."""
    return tuple(product for product in catalogue.PRODUCTS if product.verify_probe and product.url_override)


def url_option(product: catalogue.Product) -> str:
    return f'--{product.id.replace("_", "-")}-url'


def url_variable(product: catalogue.Product) -> str:
    return f'UPSTASH_VERIFY_{product.id.upper()}_URL'


def _dest(product: catalogue.Product) -> str:
    return f'{product.id}_url'


def add_arguments(parser: argparse.ArgumentParser, when: str = '') -> None:
    """`--allow-host`, `--<product>-url` and `--email`; `when` begins each help text (a
    command where verifying is optional says 'with --verify: ')."""
    parser.add_argument('--allow-host', action='append', default=[], metavar='HOST',
                        help=f'{when}also send tokens to HOST (a self-hosted Upstash-compatible server); '
                             'plain HTTP only if HOST is a loopback address. Repeatable.')
    for product in url_products():
        parser.add_argument(url_option(product), action='append', default=[], metavar='URL', dest=_dest(product),
                            help=f'{when}ask this {product.display_name} URL instead of '
                                 f'{product.url_override} (repeatable; same host rules)')
    users = [product for product in catalogue.PRODUCTS if product.needs_user]
    if users:
        parser.add_argument(
            '--email', metavar='EMAIL',
            help=f'{when}the {" / ".join(p.needs_user for p in users)} of '
                 f'{" / ".join(p.display_name for p in users)} keys (HTTP Basic email:key); replaces the '
                 'email written beside a key, and a refusal (401) then means revoked. Without it, a key '
                 'with no email beside it is skipped')


def policy_of(args, parser: argparse.ArgumentParser):
    """The host policy of `--allow-host`, every URL option checked for shape (whether a token
    may go there is the policy's, per credential); a bad value is a usage error."""
    from .verify.http import HostPolicy
    try:
        policy = HostPolicy.of(args.allow_host)
    except ValueError as error:
        parser.error(f'--allow-host: {error}')
    for product in url_products():
        check_urls(parser, url_option(product), getattr(args, _dest(product)))
    email = getattr(args, 'email', None)
    if email is not None and not _EMAIL.fullmatch(email):
        parser.error('--email: not an email address')
    return policy


def check_urls(parser: argparse.ArgumentParser, option: str, urls: Sequence[str]) -> None:
    from .verify.http import parse_url
    from .verify.http import Refused
    for url in urls:
        try:
            parse_url(url)
        except Refused as refused:
            parser.error(f'{option}: {refused}')


def _product_urls(args) -> Dict[str, Tuple[str, ...]]:
    return {product.id: tuple(getattr(args, _dest(product))) for product in url_products()
            if getattr(args, _dest(product))}


def options_of(args, policy, **more):
    """The verifier's `Options` from parsed arguments (`more`: a command's own settings)."""
    from .verify.verifier import Options
    return Options(policy=policy, product_urls=_product_urls(args), account_email=getattr(args, 'email', None),
                   **more)


def env_product_urls(environ) -> Dict[str, Tuple[str, ...]]:
    """`UPSTASH_VERIFY_<ID>_URL` for each product with a URL option (the plugin's settings)."""
    urls = {}
    for product in url_products():
        found = tuple(item.strip() for item in environ.get(url_variable(product), '').split(',') if item.strip())
        if found:
            urls[product.id] = found
    return urls
