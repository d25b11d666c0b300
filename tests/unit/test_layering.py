"""The layering rules hold: the import-linter contracts in pyproject.toml, one test each."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]


@pytest.mark.parametrize("contract", [c["id"] for c in CONTRACTS])
def test_contract_is_kept(contract: str) -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed (the test extra has it)"
    result = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo", "--contract", contract],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_imports_only_the_standard_library() -> None:
    """The contract above names the third-party packages we depend on; this catches any."""
    graph = grimp.build_graph("dairy_desktop", include_external_packages=True, cache_dir=None)
    domain = {"dairy_desktop.domain", *graph.find_descendants("dairy_desktop.domain")}
    imported = {
        name for module in domain for name in graph.find_modules_directly_imported_by(module)
    }
    outside = {name.split(".")[0] for name in imported if name not in domain}
    assert outside - set(sys.stdlib_module_names) == set()
