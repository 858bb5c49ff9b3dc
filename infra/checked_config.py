"""Store configs checked when the package is built, not at every cold start.

Each store config the package carries (a `.yaml` under `chalicelib/` that validates as one: the
bundled demo store, or an operator's file packaged with the app) is checked whole here (YAML, the
schema, its Jinja2 templates) and gets a snapshot beside it (`chalicelib/config/store_config.py`,
`write_checked`). A cold start reads the snapshot as JSON when the file's bytes are those checked,
so it imports neither PyYAML nor Jinja2; a file without one is parsed and checked as before.
"""

from __future__ import annotations

import zipfile
from pathlib import Path


def check_store_configs(root: Path) -> list[Path]:
    """Write the snapshot of every store config under `root`/chalicelib; the snapshots written."""
    from chalicelib.config.store_config import checked_path, write_checked

    found = sorted((root / "chalicelib").rglob("*.yaml"))
    return [checked_path(file) for file in found if write_checked(file)]


def add_snapshots(package: zipfile.ZipFile, tree: Path, snapshots: list[Path]) -> None:
    """Each snapshot into `package`, with its store config's time and permissions."""
    for snapshot in snapshots:
        source = package.getinfo(
            snapshot.with_name(snapshot.name.removesuffix(".checked.json"))
            .relative_to(tree)
            .as_posix()
        )
        entry = zipfile.ZipInfo(snapshot.relative_to(tree).as_posix(), date_time=source.date_time)
        entry.external_attr = source.external_attr
        entry.compress_type = zipfile.ZIP_DEFLATED
        package.writestr(entry, snapshot.read_bytes())
