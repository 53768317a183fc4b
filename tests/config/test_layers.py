"""The apps' layers (docs/architecture.md, issue 12): the import-linter contracts in
pyproject.toml pass on the tree and fail on an import against them, wherever it sits (top
of a module, inside a function, under TYPE_CHECKING); no app imports another domain app
inside a function."""

import ast
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("participants", "products", "cases", "deductions", "payments", "workflow")
PACKAGES = ("config", *DOMAIN_APPS)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("lint-imports")
    command = [str(executable)] if executable.exists() else ["lint-imports"]
    return subprocess.run(
        [*command, "--no-logo", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""},
    )


def _copy_of_the_project(target: Path) -> Path:
    """The packages (Python files only) and pyproject.toml in a directory of their own."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=lambda directory, names: (
                [n for n in names if not n.endswith(".py") and not (Path(directory) / n).is_dir()]
                + [n for n in names if n == "__pycache__"]
            ),
        )
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_lint_imports_passes_on_the_tree():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_participants_importing_payments_fails_the_layers(tmp_path):
    """Acceptance 1: a throwaway module in participants importing payments (in a copy)."""
    project = _copy_of_the_project(tmp_path)
    (project / "participants" / "throwaway.py").write_text("import payments\n")
    result = _lint_imports(project)
    assert result.returncode != 0
    assert "participants is not allowed to import payments" in result.stdout
    assert "participants.throwaway -> payments" in result.stdout


def test_hidden_imports_fail_the_contracts(tmp_path):
    """An import inside a function or under TYPE_CHECKING counts; a payment service that
    imports its tasks module breaks its contract; workflow imports no domain app; the
    engine imports nothing of payments outside it."""
    project = _copy_of_the_project(tmp_path)
    (project / "products" / "throwaway_function.py").write_text(
        "def f():\n    from deductions.models import Deduction\n\n    return Deduction\n"
    )
    (project / "cases" / "throwaway_typing.py").write_text(
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from payments.models import Payment\n"
    )
    (project / "workflow" / "throwaway.py").write_text(
        "def f():\n    import participants.models\n\n    return participants\n"
    )
    (project / "config" / "throwaway.py").write_text("from cases import selectors\n")
    (project / "payments" / "services" / "throwaway.py").write_text(
        "def f():\n    from .. import tasks\n\n    return tasks\n"
    )
    (project / "payments" / "engine" / "throwaway.py").write_text(
        "def f():\n    from payments.models import Payment\n\n    return Payment\n"
    )
    (project / "workflow" / "throwaway_tasks.py").write_text("from . import tasks\n")
    (project / "workflow" / "services.py").write_text(
        (project / "workflow" / "services.py").read_text() + "\nfrom . import throwaway_tasks\n"
    )
    result = _lint_imports(project)
    assert result.returncode != 0
    for line in (
        "products.throwaway_function -> deductions.models",
        "cases.throwaway_typing -> payments.models",
        "workflow.throwaway -> participants.models",
        "config.throwaway -> cases.selectors",
        "payments.services.throwaway -> payments.tasks",
        "payments.engine.throwaway -> payments.models",
        "workflow.services -> workflow.throwaway_tasks",  # an indirect import counts too
    ):
        assert line in result.stdout, result.stdout


def _imports_not_at_module_level(tree: ast.Module):
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
            if isinstance(node, ast.ImportFrom) and (node.level or node.module is None):
                continue
            names = (
                [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
            yield node.lineno, [name.split(".")[0] for name in names]


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_no_other_app_imported_inside_a_function(app):
    """Acceptance 2: another domain app is imported at the top of a module only (where
    the linter and a reader see it), never inside a function, a branch or a try."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, packages in _imports_not_at_module_level(tree):
            others = [p for p in packages if p in DOMAIN_APPS and p != app]
            if others:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {', '.join(others)}")
    assert found == []


def test_every_hook_has_its_provider():
    """Each hook a lower app declares is provided once the apps are ready (a hook without
    a provider raises ImproperlyConfigured when called)."""
    from config import providers

    hooks = [providers.forecasts]
    for app in DOMAIN_APPS:
        if (ROOT / app / "hooks.py").exists():
            module = importlib.import_module(f"{app}.hooks")
            hooks += [h for h in vars(module).values() if isinstance(h, providers.Hook)]
    assert len(hooks) >= 10
    assert [h for h in hooks if not h.provided] == []


def test_hook_without_provider_refuses_or_gives_its_default():
    from django.core.exceptions import ImproperlyConfigured

    from config.providers import Hook

    with pytest.raises(ImproperlyConfigured, match="nobody.asks"):
        Hook("nobody.asks")(x=1)
    assert Hook("page.shows", default=dict)(x=1) == {}
    hook = Hook("provided")
    hook.provide(lambda *, x: x + 1)
    assert hook(x=1) == 2
