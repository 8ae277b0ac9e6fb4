"""Checks that the CI workflow refers to things that exist (run with ``python -m pytest``)."""

import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKFLOW = PROJECT_DIR / ".github" / "workflows" / "mlready.yml"


def test_the_workflow_installs_pinned_requirements():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "pip install -r requirements.txt" in text
    requirements = (PROJECT_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
    packages = [line for line in requirements if line.strip() and not line.startswith("#")]
    assert packages and all("==" in line for line in packages)


def test_every_module_the_workflow_runs_is_guarded_or_present():
    text = WORKFLOW.read_text(encoding="utf-8")
    for module in re.findall(r"python -m ([a-z_]+\.[a-z_]+)", text):
        path = PROJECT_DIR / (module.replace(".", "/") + ".py")
        guard = f"hashFiles('{module.replace('.', '/')}.py')"
        assert path.exists() or guard in text, module


def test_mlready_is_installed_from_the_configured_spec_and_readiness_is_a_ratchet():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "npx" not in text  # never a package name fetched from a registry at run time
    assert 'npm install --global --no-audit --no-fund "$MLREADY_PACKAGE"' in text
    floor = re.search(r'MLREADY_MIN_SCORE: "(\d+(?:\.\d+)?)"', text)
    assert floor, "MLREADY_MIN_SCORE must be the score the project had when the workflow was generated"
    assert 0 <= float(floor.group(1)) <= 100
