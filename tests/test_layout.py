"""The house (docs/architecture.md): every module of an app sits in its layer package, none grows past
~500 lines, and nothing in the repository points at a file the repository does not have."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("governance", "minutes", "audit")  # demo/ is itself one package: the demo bureau
LAYER_PACKAGES = {"models", "rules", "services", "selectors", "views", "documents", "admin", "management",
                  "templatetags", "migrations"}
# One of each per app, beside the layers (the layer modules of a small app count as layers).
BESIDE = {"__init__.py", "apps.py", "urls.py", "tasks.py", "forms.py", "permissions.py", "checks.py", "channels.py",
          "context_processors.py", "middleware.py", "backends.py", "models.py", "selectors.py", "views.py", "admin.py", "documents.py"}
MAX_LINES = 500


def _tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).exists()]


def test_every_app_module_sits_in_its_layer():
    strays = []
    for app in APPS:
        for path in (ROOT / app).iterdir():
            if path.suffix == ".py" and path.name not in BESIDE:
                strays.append(str(path.relative_to(ROOT)))
            if path.is_dir() and path.name != "__pycache__" and path.name not in LAYER_PACKAGES:
                strays.append(str(path.relative_to(ROOT)) + "/")
    assert not strays, f"modules outside a layer package (see docs/architecture.md): {strays}"


def test_no_python_module_is_longer_than_about_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _tracked("*.py") if "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these into modules named for what they hold: {long}"


def test_nothing_refers_to_a_file_outside_the_repository():
    """The repository carries its own documentation: no pointer to SPEC.md or STYLE.md (kept outside)."""
    pattern = re.compile(r"\b(SPEC|STYLE)\.md\b|\b(SPEC|STYLE) §")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in _tracked("*.py", "*.md", "*.html", "*.sh", "Makefile", ".ci/run")
            if p != Path(__file__)
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not hits, hits


def test_documentation_links_resolve():
    missing = []
    for doc in _tracked("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if not (doc.parent / target).exists():
                missing.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert not missing, missing
