"""Every command has help text with an example, and every option says what it does."""

from __future__ import annotations

import pytest
import typer

from hunan_map.cli.main import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def test_all_documented_commands_exist():
    assert {"render", "export", "query", "industries", "sources", "layouts", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(invoke, name):
    res = invoke(name, "--help")
    assert res.exit_code == 0
    assert "Example: hunan-map " + name in " ".join(res.stdout.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help_with_an_example(name):
    cmd = typer.main.get_command(app).commands[name]
    for param in cmd.params:
        if param.param_type_name in ("option", "argument") and param.name != "help":
            assert getattr(param, "help", None) and "Example:" in param.help, (name, param.name)
