"""What `upstash-semgrep` does around semgrep: files semgrep cannot map, and its findings.

* `.mts` / `.cts` (TypeScript ES / CommonJS modules: `vite.config.mts`, `vitest.config.mts`)
  have no language in semgrep, which skips them even when named on the command line. They
  are staged as copies with a `.ts` name (`vite.config.mts.ts`) in a scratch directory,
  scanned with the TypeScript rules, and every path in the report is mapped back to the real
  file (same lines: the copy is byte for byte). `.mjs` / `.cjs` semgrep maps to JavaScript
  itself.
* Code of a package that is itself an Upstash SDK (the nearest `package.json` is named
  `@upstash/...`: the SDK's `src/` falls back to `NEXT_PUBLIC_UPSTASH_...` names on purpose)
  is library code, not an app that leaks: exposure findings there are dropped, and so are
  findings of the rules in `SDK_OPTION_RULES`, which in an SDK's own code report the option it
  offers its users (`if (!verifier) return;`: verification the app turned off), not a handler
  that skips it.
* One finding per misuse: semgrep reports a match once per way a rule matched it (nested
  patterns, `undefined` seen through `undefined as any`), once per value on a line (both
  signing keys of one `new Receiver({...})` written on one line), and two rules can describe
  one misuse (a `"use client"` module building a client from a `NEXT_PUBLIC_` token is the
  client rule's finding and the public-name rule's). A finding whose range lies within
  another finding of the same rule in the same file, or that starts on the same line as one,
  is merged into it, and so is such a finding of a rule listed for the other's in
  `MERGED_INTO`. A rule in `ONE_PER_FILE` judges the module as a whole, so its first finding
  in a file stands for the others.
"""
import fnmatch
import json
import os
import shutil
from pathlib import Path
from typing import Any
from typing import Dict
from typing import FrozenSet
from typing import Iterable
from typing import List
from typing import Optional
from typing import Sequence
from typing import Set
from typing import Tuple

# Extensions semgrep has no language for, and the extension of the rules that fit them.
UNMAPPED_EXTENSIONS = {'.mts': '.ts', '.cts': '.ts'}
_UNMAPPED_SUFFIXES = tuple(UNMAPPED_EXTENSIONS)     # str.endswith() before splitext()
# Version control metadata: never holds sources to scan.
VCS_DIRS = frozenset({'.git', '.hg', '.svn'})
# Directories semgrep's default ignore list skips when it walks a tree (plus VCS metadata),
# unless the project has its own .semgrepignore.
DEFAULT_SKIPPED_DIRS = frozenset({'.git', '.hg', '.svn', 'node_modules', 'dist', 'build', 'vendor',
                                  'test', 'tests', '.venv', 'venv', '.tox', '.npm', '.yarn',
                                  '.semgrep'})
SDK_PACKAGE_PREFIX = '@upstash/'
EXPOSURE_FAMILY = 'exposure'
# Handler rules whose match in an SDK's own code is the SDK's option, decided by the app.
SDK_OPTION_RULES = frozenset({'upstash-qstash-verification-skipped-without-keys'})


# ---- .mts / .cts ------------------------------------------------------------------------------

def matches_exclude(path: Path, patterns: Sequence[str]) -> bool:
    text = path.as_posix()
    return any(fnmatch.fnmatch(part, pattern) for pattern in patterns for part in path.parts) \
        or any(fnmatch.fnmatch(text, pattern) for pattern in patterns)


def unmapped_files(targets: Sequence[str], skipped_dirs: Iterable[str],
                   exclude: Sequence[str]) -> List[Path]:
    """The .mts/.cts files under `targets` that semgrep would otherwise skip (sorted): the
    candidates, among which semgrep's own target selection chooses (`select_unmapped`), so
    only `skipped_dirs` (always excluded) and the --exclude patterns are not walked."""
    skipped = set(VCS_DIRS) | set(skipped_dirs)
    found: List[Path] = []
    for target in targets:
        root = Path(target)
        if root.is_file():
            # Named explicitly: scanned whatever its directory (as semgrep does for .ts).
            if root.suffix in UNMAPPED_EXTENSIONS:
                found.append(root)
            continue
        for directory, dirs, files in os.walk(root):
            # Paths are built only where needed: this walk sees every file of the tree.
            dirs[:] = sorted(d for d in dirs if d not in skipped
                             and not (exclude and matches_exclude(Path(directory, d).relative_to(root), exclude)))
            for name in sorted(name for name in files if name.endswith(_UNMAPPED_SUFFIXES)):
                if os.path.splitext(name)[1] not in UNMAPPED_EXTENSIONS:
                    continue
                path = Path(directory, name)
                if not matches_exclude(path.relative_to(root), exclude):
                    found.append(path)
    return found


def stage_unmapped(files: Sequence[Path], scratch: Path) -> Dict[str, str]:
    """Copy each file to `scratch` under a name semgrep maps; {staged path: real path}."""
    staged: Dict[str, str] = {}
    for number, real in enumerate(files):
        # One directory per file keeps its name (`next.config.mts.ts` still matches
        # `next.config.*`) and its parent directories (rules scoped by path still apply).
        relative = Path(*[p for p in real.parts if p not in ('/', '..', '.')]) if real.parts else real
        copy = scratch / str(number) / relative.parent / (real.name + UNMAPPED_EXTENSIONS[real.suffix])
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real, copy)
        staged[str(copy)] = str(real)
    return staged


def _map_strings(node: Any, staged: Dict[str, str], root: str) -> Any:
    if isinstance(node, str):
        if root not in node:
            return node
        for copy, real in staged.items():
            node = node.replace(copy, real)
        return node
    if isinstance(node, list):
        return [_map_strings(item, staged, root) for item in node]
    if isinstance(node, dict):
        return {key: _map_strings(value, staged, root) for key, value in node.items()}
    return node


# ---- SDK packages -------------------------------------------------------------------------------

class PackageNames:
    """The `name` of the nearest package.json above a file, cached per directory."""

    def __init__(self) -> None:
        self._by_directory: Dict[Path, Optional[str]] = {}

    def name_for(self, path: str) -> Optional[str]:
        directory = Path(path).resolve().parent
        chain: List[Path] = []
        name: Optional[str] = None
        while True:
            if directory in self._by_directory:
                name = self._by_directory[directory]
                break
            chain.append(directory)
            manifest = directory / 'package.json'
            if manifest.is_file():
                name = _package_name(manifest)
                break
            if directory.parent == directory:
                break
            directory = directory.parent
        for seen in chain:
            self._by_directory[seen] = name
        return name


def _package_name(manifest: Path) -> Optional[str]:
    try:
        document = json.loads(manifest.read_text(encoding='utf-8'))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    name = document.get('name') if isinstance(document, dict) else None
    return name if isinstance(name, str) else None


def in_upstash_sdk(path: str, packages: PackageNames) -> bool:
    name = packages.name_for(path)
    return bool(name) and name.startswith(SDK_PACKAGE_PREFIX)


# ---- one finding per misuse ---------------------------------------------------------------------

Span = Tuple[int, int, int, int]


def _contains(outer: Span, inner: Span) -> bool:
    return outer[:2] <= inner[:2] and inner[2:] <= outer[2:]


# A finding of the key's rule lying within a finding of one of the value's rules, or starting
# on its line, is the same misuse, reported by the wider rule: the public-name read of the
# token that a "use client" module hands to `new Redis({...})` is the client rule's finding.
MERGED_INTO: Dict[str, FrozenSet[str]] = {
    'upstash-secret-in-public-env-var': frozenset({'upstash-client-in-use-client-file'}),
    # a signing key in Expo's app.json `extra` is shipped in the app: the Expo rule's finding
    'upstash-qstash-hardcoded-signing-key-in-config': frozenset({'upstash-secret-in-expo-app-json'}),
}

# Rules whose finding anywhere in a file says the same as another rule's finding in that file:
# a Receiver built and never used in a module whose handler reads `Upstash-Signature` and
# never verifies is one misuse, and the handler's finding (the ERROR) is the one to keep.
MERGED_INTO_FILE: Dict[str, FrozenSet[str]] = {
    'upstash-qstash-receiver-never-used': frozenset({'upstash-qstash-signature-not-verified'}),
    'upstash-qstash-receiver-never-used-python': frozenset({'upstash-qstash-signature-not-verified-python'}),
    # a QStash-named route in a module that also reads the delivery headers: the headers are
    # the stronger evidence, and one finding says "this module never verifies"
    'upstash-qstash-route-never-checked': frozenset({'upstash-qstash-delivery-signature-never-checked'}),
    'upstash-qstash-route-never-checked-python': frozenset({'upstash-qstash-delivery-signature-never-checked-python'}),
}


# Rules whose claim is about the whole module ("nothing in this module checks the signature"):
# a module reading three delivery headers is one misuse, reported where it first reads one.
ONE_PER_FILE: FrozenSet[str] = frozenset({
    'upstash-qstash-delivery-signature-never-checked',
    'upstash-qstash-delivery-signature-never-checked-python',
})


def _bare(rule: str) -> str:
    return rule.rsplit('.', 1)[-1]


def merge_duplicates(items: List[Tuple[str, str, Span]]) -> Set[int]:
    """Indexes of findings to drop: in the same file, a finding whose range lies within
    another's or starts on its line, of the same rule or of a rule it is merged into
    (`MERGED_INTO`, whose rules are never merged into others themselves), and every finding
    of a rule whose file holds one of the rule it is merged into file-wide (`MERGED_INTO_FILE`);
    of a rule in `ONE_PER_FILE`, every finding in a file but the first."""
    drop: Set[int] = set()
    groups: Dict[Tuple[str, str], List[int]] = {}
    for index, (rule, path, _) in enumerate(items):
        groups.setdefault((_bare(rule), path), []).append(index)
    kept_by_group: Dict[Tuple[str, str], List[int]] = {}
    for group, members in groups.items():
        # Widest first: a range inside a kept one is the same misuse seen again.
        members.sort(key=lambda i: (items[i][2][:2], tuple(-x for x in items[i][2][2:])))
        kept: List[int] = kept_by_group.setdefault(group, [])
        for index in members:
            span = items[index][2]
            if kept and group[0] in ONE_PER_FILE:
                drop.add(index)
            elif any(items[k][2][0] == span[0] or _contains(items[k][2], span) for k in kept):
                drop.add(index)
            else:
                kept.append(index)
    for (rule, path), kept in kept_by_group.items():
        wider = [k for other in MERGED_INTO.get(rule, ()) for k in kept_by_group.get((other, path), ())]
        for index in kept:
            span = items[index][2]
            if any(items[k][2][0] == span[0] or _contains(items[k][2], span) for k in wider):
                drop.add(index)
        if any(kept_by_group.get((other, path)) for other in MERGED_INTO_FILE.get(rule, ())):
            drop.update(kept)
    return drop


def _json_span(result: Dict[str, Any]) -> Span:
    start, end = result.get('start', {}), result.get('end', {})
    return (start.get('line', 0), start.get('col', 0), end.get('line', 0), end.get('col', 0))


def _sarif_location(result: Dict[str, Any]) -> Tuple[str, Span]:
    try:
        physical = result['locations'][0]['physicalLocation']
    except (KeyError, IndexError, TypeError):
        return '', (0, 0, 0, 0)
    region = physical.get('region', {})
    start_line = region.get('startLine', 0)
    return (physical.get('artifactLocation', {}).get('uri', ''),
            (start_line, region.get('startColumn', 0), region.get('endLine', start_line),
             region.get('endColumn', 0)))


def _sarif_path(uri: str) -> str:
    return uri[len('file://'):] if uri.startswith('file://') else uri


class Postprocess:
    """Maps staged paths back, drops SDK library findings, merges duplicates."""

    def __init__(self, staged: Dict[str, str], scratch: str, families: Dict[str, str],
                 include_sdk_code: bool) -> None:
        self.staged = staged
        self.scratch = scratch
        self.families = families
        self.include_sdk_code = include_sdk_code
        self.packages = PackageNames()

    def _library_code(self, rule: str, path: str) -> bool:
        return (not self.include_sdk_code
                and (self.families.get(rule) == EXPOSURE_FAMILY or rule in SDK_OPTION_RULES)
                and in_upstash_sdk(path, self.packages))

    def json_report(self, document: Dict[str, Any]) -> Dict[str, Any]:
        if self.staged:
            document = _map_strings(document, self.staged, self.scratch)
        results = [r for r in document.get('results', [])
                   if not self._library_code(r.get('check_id', ''), r.get('path', ''))]
        drop = merge_duplicates([(r.get('check_id', ''), r.get('path', ''), _json_span(r))
                                 for r in results])
        document['results'] = [r for i, r in enumerate(results) if i not in drop]
        return document

    def sarif_report(self, document: Dict[str, Any]) -> Dict[str, Any]:
        if self.staged:
            # SARIF may name the copies as URIs: map both spellings.
            uris = {**self.staged, **{Path(k).as_uri(): Path(v).resolve().as_uri()
                                      for k, v in self.staged.items()}}
            document = _map_strings(document, uris, self.scratch)
        for run in document.get('runs') or []:
            results = [r for r in run.get('results') or []
                       if not self._library_code(r.get('ruleId', ''),
                                                 _sarif_path(_sarif_location(r)[0]))]
            located = [(r.get('ruleId', ''),) + _sarif_location(r) for r in results]
            drop = merge_duplicates(located)
            run['results'] = [r for i, r in enumerate(results) if i not in drop]
        return document
