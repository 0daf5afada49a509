"""``hunan-map validate``: check the knowledge base (bundled or a user's copy) and report every problem."""

from __future__ import annotations

import typer

from hunan_map.cli import options as o
from hunan_map.cli._app import app, err, handle_errors, say


@app.command()
@handle_errors
def validate(data: o.ValidateDataDir = None) -> None:
    """Check every table: ids, references, citations, the industry tree, places and park locations.

    Prints one line per problem (file:row: column: problem; fix) and exits 1 when there is any.

    Example: hunan-map validate --data ./my-data
    """
    from hunan_map.layers import check

    problems = check(data)
    if problems:
        for p in problems:
            err.print(str(p), markup=False)
        err.print(f"{len(problems)} problem(s) found", markup=False)
        raise typer.Exit(code=1)
    say("Knowledge base is valid: no problems found")
