"""`detect-secrets-upstash history`: Upstash credentials anywhere in a git history.

    git.py      the repository through git's plumbing (rev-list, cat-file --batch, log)
    blobs.py    the credentials in one blob (the plugin's predicate, cheap rejection first)
    scan.py     one scan: blobs, then where each credential came and went, HEAD
    output.py   text, JSON (history.schema.json) and SARIF
    cli.py      the command line

    from detect_secrets_upstash.history.scan import Options, scan_history
    history = scan_history('path/to/repo', Options(revisions=('origin/main..HEAD',)))
"""
