"""The reference under docs/ is current with the code, and stands alone (no file outside the repo)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib.config.settings import Settings
from dev.docs import FILES, ROOT
from dev.settings_reference import MEANINGS


@pytest.mark.parametrize("path", sorted(FILES), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_docs_are_current(path: Path) -> None:
    assert path.exists(), f"{path} is missing: run python -m dev.docs"
    assert path.read_text(encoding="utf-8") == FILES[path](), (
        f"{path} is stale: run python -m dev.docs"
    )


def test_every_setting_is_explained() -> None:
    names = {field.alias or name for name, field in Settings.model_fields.items()}
    assert names - set(MEANINGS) == set(), "add the setting's meaning to dev/settings_reference.py"
    assert set(MEANINGS) - names == set()


def test_the_docs_never_point_outside_the_repository() -> None:
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "DESIGN.md" not in text, path


def test_every_relative_link_in_the_docs_resolves() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)", path.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (path.parent / target).exists(), f"{path.relative_to(ROOT)}: {target}"
