"""Two fixes to upstream's interactive `audit` session (wrappers; see `patches`).

* Answers usually come from a terminal; when they come from a pipe or file and run out,
  upstream's `input()` raises EOFError (a traceback, and every label of the session lost).
  Running out of answers means "quit": upstream then saves what was labelled.
* Upstream's audit first fills the settings with every default plugin (its argument
  parsing does that for commands without `--baseline`), then *merges* the audited
  baseline's plugins into them: a baseline made with `--disable-plugin X` is saved back
  with X enabled again, and the next hook run reports what X finds. Audit must keep
  exactly the baseline's plugins, so it starts from none before loading it.
"""
import functools
from typing import Any
from typing import Callable


def quit_when_answers_run_out(get_user_decision: Callable) -> Callable:
    @functools.wraps(get_user_decision)
    def guarded(*args: Any, **kwargs: Any):
        try:
            return get_user_decision(*args, **kwargs)
        except EOFError:
            from detect_secrets.audit.io import InputOptions
            print()
            return InputOptions.QUIT

    return guarded


def keep_the_baseline_plugins(get_baseline_from_file: Callable) -> Callable:
    @functools.wraps(get_baseline_from_file)
    def guarded(filename: str):
        from detect_secrets.settings import get_settings
        get_settings().disable_plugins(*list(get_settings().plugins))
        return get_baseline_from_file(filename)

    return guarded
