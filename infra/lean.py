"""What the Lambda package leaves out: distributions pip installs that Tandem never imports.

twilio requires aiohttp (and aiohttp-retry) for its `AsyncTwilioHttpClient` alone; Tandem never
uses it, so aiohttp and what only it needs are never imported on Lambda: about 11 MB unzipped. A distribution is removed by its own `RECORD` (the files pip
installed for it), so a folder another distribution shares is left alone.

twilio's generated REST resources (`twilio/rest/<domain>/`, 40-odd domains, about 45 MB with their
bytecode) go too: Tandem creates and lists Messages with requests of its own
(chalicelib/channels/twilio/rest_api.py) and checks webhook signatures with twilio's
`RequestValidator`, never a domain package. Stdlib only.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Never imported by the app (tests/infra/test_package.py imports the app's libraries without them).
UNSHIPPED = frozenset(
    {
        "aiohttp",
        "aiohttp-retry",
        "aiohappyeyeballs",
        "aiosignal",
        "frozenlist",
        "multidict",
        "propcache",
        "yarl",
        "attrs",
    }
)
# Folders whose subfolders are left out (the files directly in them stay).
UNSHIPPED_SUBFOLDERS = ("twilio/rest/",)
# The Lambda package's budget, unzipped (Lambda's own limit is 250 MB).
BUDGET_MB = 100


@dataclass(frozen=True)
class Pruned:
    """What pruning a package did."""

    distributions: list[str]  # normalized names removed
    entries: int  # zip entries removed


def normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares it (`aiohttp_retry` -> `aiohttp-retry`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def dist_info_name(entry: str) -> str | None:
    """The normalized distribution of a `NAME-VERSION.dist-info/` entry, else None."""
    top = entry.split("/", 1)[0]
    if not top.endswith(".dist-info"):
        return None
    return normalized(top[: -len(".dist-info")].rsplit("-", 1)[0])


def unshipped_entries(package: zipfile.ZipFile, names: frozenset[str]) -> tuple[set[str], set[str]]:
    """The entries that belong to the distributions `names` (by their RECORD), and those found."""
    dropped: set[str] = set()
    found: set[str] = set()
    everything = package.namelist()
    for entry in everything:
        dist = dist_info_name(entry)
        if dist not in names or not entry.endswith("/RECORD"):
            continue
        found.add(dist)
        record = package.read(entry).decode()
        dropped.update(row[0] for row in csv.reader(io.StringIO(record)) if row)
        dropped.update(e for e in everything if e.startswith(entry.split("/", 1)[0] + "/"))
    return dropped, found


def in_subfolder(entry: str, folders: tuple[str, ...]) -> bool:
    """Whether `entry` lies in a subfolder of one of `folders` (not directly in it)."""
    return any(entry.startswith(f) and "/" in entry[len(f) :] for f in folders)


def prune(
    archive: Path,
    names: frozenset[str] = UNSHIPPED,
    subfolders_of: tuple[str, ...] = UNSHIPPED_SUBFOLDERS,
) -> Pruned:
    """Rewrite the zip at `archive` without the distributions `names` and the subfolders of
    `subfolders_of`; every other entry kept as it was (bytes, times, permissions). A folder left
    empty goes too."""
    with zipfile.ZipFile(archive) as original:
        dropped, found = unshipped_entries(original, names)
        dropped |= {e for e in original.namelist() if in_subfolder(e, subfolders_of)}
        dropped |= _emptied_folders(original.namelist(), dropped)
        kept = [e for e in original.infolist() if e.filename not in dropped]
        with tempfile.TemporaryDirectory(prefix="tandem-lean-") as scratch:
            rewritten = Path(scratch) / "package.zip"
            with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as package:
                for entry in kept:
                    package.writestr(entry, original.read(entry))
            removed = len(original.infolist()) - len(kept)
            shutil.move(rewritten, archive)
    return Pruned(sorted(found), removed)


def unzipped_mb(archive: Path) -> float:
    """The package's size as Lambda unpacks it, in MB (Lambda counts 250 MB unzipped)."""
    with zipfile.ZipFile(archive) as package:
        return sum(i.file_size for i in package.infolist()) / 1_000_000


def _emptied_folders(entries: list[str], dropped: set[str]) -> set[str]:
    """Folder entries (`x/`) under which every file is dropped."""
    files = [e for e in entries if not e.endswith("/")]
    return {
        folder
        for folder in entries
        if folder.endswith("/")
        and all(f in dropped for f in files if f.startswith(folder))
        and any(f.startswith(folder) for f in files)
    }
