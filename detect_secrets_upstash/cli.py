"""`detect-secrets-upstash` and `detect-secrets-upstash-hook`: detect-secrets with our plugins."""
import sys

from . import plugins  # noqa: F401  (registers the plugins before detect-secrets reads them)


def main(argv=None) -> int:
    from detect_secrets.main import main as detect_secrets_main
    return detect_secrets_main(argv if argv is not None else sys.argv[1:])


def hook_main(argv=None) -> int:
    from detect_secrets.pre_commit_hook import main as hook
    return hook(argv if argv is not None else sys.argv[1:])
