"""The steps every probe takes with a server's answer before it reads what the answer means.

A probe sends a request (`ask`) and reads a JSON body (`json_of`); `fetch_json` does both.
Each returns either what the probe reads next (a `Reply`, a JSON document) or the `Outcome`
that already settles the check, so a probe goes on only with an answer worth reading:
- a transport failure proves nothing (`unknown`), except that a host that does not exist
  is no vote at all (`skipped`) where a probe asks several hosts that may not all exist;
- the status decides first, for every product alike (`model.status_outcome`: only a 401
  means refused, 429 and 5xx prove nothing), and a status the probe does not read is
  unexpected;
- a body that is not JSON proves nothing.
Nothing of a body goes into a message: even a broken one may hold a password.
"""
from typing import Any
from typing import Optional
from typing import Sequence
from typing import Union

from .http import host_of
from .http import Reply
from .http import TransportError
from .model import Outcome
from .model import SKIPPED
from .model import status_outcome
from .model import UNKNOWN


def ask(session, method: str, url: str, token: str, json_body=None, *, user: Optional[str] = None,
        missing_host_votes: bool = True) -> Union[Reply, Outcome]:
    """The answer to one request, or the outcome of a request that got none."""
    host = host_of(url)
    try:
        return session.request(method, url, token, json_body, user=user)
    except TransportError as error:
        if error.no_such_host and not missing_host_votes:
            return Outcome(SKIPPED, f'{host}: no such host', host=host)
        return Outcome(UNKNOWN, f'{host}: {error}', host=host)


def json_of(reply: Reply, host: Optional[str] = None, *, read: Sequence[int] = (200,),
            refused: str = 'token refused') -> Union[Any, Outcome]:
    """The JSON document of an answer whose status the probe reads (`read`), or the
    outcome its status or its unreadable body decides."""
    where = f'{host}: ' if host else ''
    decided = status_outcome(reply.status, host, refused)
    if decided is not None:
        return decided
    if reply.status not in read:
        return Outcome(UNKNOWN, f'{where}unexpected answer ({reply.status})', host=host)
    try:
        return reply.json()
    except (ValueError, UnicodeDecodeError):
        status = '' if reply.status == 200 else f' ({reply.status})'
        return Outcome(UNKNOWN, f'{where}answer{status} is not JSON', host=host)


def fetch_json(session, method: str, url: str, token: str, json_body=None, *,
               user: Optional[str] = None, missing_host_votes: bool = True,
               refused: str = 'token refused') -> Union[Any, Outcome]:
    """`ask`, then `json_of` a 200 answer."""
    reply = ask(session, method, url, token, json_body, user=user, missing_host_votes=missing_host_votes)
    if isinstance(reply, Outcome):
        return reply
    return json_of(reply, host_of(url), refused=refused)
