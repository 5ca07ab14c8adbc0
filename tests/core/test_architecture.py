"""Imports flow one way (docs/architecture.md): publishing -> moderation -> privacy -> records ->
channels_app -> accounts -> core, and podcasts -> channels_app; config only wires and may import
every app, no app imports config. Every import counts, also one inside a function, so a cycle
cannot hide in a late import. The one exception: core names the user model for type checking
only (``if TYPE_CHECKING:``); at run time it is ``AUTH_USER_MODEL``."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW = {
    "core": set(),
    "accounts": {"core"},
    "channels_app": {"accounts", "core"},
    "records": {"channels_app", "accounts", "core"},
    "privacy": {"records", "channels_app", "accounts", "core"},
    "moderation": {"privacy", "records", "channels_app", "accounts", "core"},
    "podcasts": {"channels_app", "accounts", "core"},
    "publishing": {
        "moderation",
        "privacy",
        "records",
        "podcasts",
        "channels_app",
        "accounts",
        "core",
    },
}
OURS = {*BELOW, "config"}
TYPE_ONLY = {("core", "accounts.models")}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    type_only = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names if node.lineno not in type_only]
        found += [(-node.lineno, name) for name in names if node.lineno in type_only]
    return found


def violations() -> list[str]:
    wrong = []
    for app, allowed in BELOW.items():
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            for line, module in _imports(path):
                top = module.split(".")[0]
                if top not in OURS or top == app or top in allowed:
                    continue
                if line < 0 and (app, module) in TYPE_ONLY:
                    continue
                wrong.append(f"{path.relative_to(ROOT)}:{abs(line)} imports {module}")
    return wrong


def test_imports_flow_one_way():
    assert violations() == []


def test_the_walk_sees_a_wrong_import(tmp_path, monkeypatch):
    """The check itself: a record module importing moderation, even inside a function, fails."""
    app = tmp_path / "records"
    app.mkdir()
    (app / "late.py").write_text("def f():\n    from moderation import services\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert violations() == ["records/late.py:2 imports moderation"]
