"""The command line: parse options, call the library, print a report, pick an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from playbookgen import __version__
from playbookgen.check import check as run_check
from playbookgen.report import FORMATS, relocate, render
from playbookgen.schema import write_schemas

PATH_ARGUMENT = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbookgen")
def main() -> None:
    """Customer-service policy as code: check a playbook of YAML and build its site and PDFs."""


@main.command()
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(path: Path, fmt: str, strict: bool) -> None:
    """Validate every file against its schema and check the playbook is consistent.

    Exit status: 0 clean, 1 problems found, 2 usage error.
    """
    result = run_check(path, strict=strict)
    problems = relocate(result.problems, str(path))
    click.echo(render(problems, fmt), nl=False)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="schemas",
    show_default=True,
    help="Folder to write the JSON Schemas into.",
)
def schema(out: Path) -> None:
    """Write the JSON Schemas (for editor autocomplete) and a VS Code settings example."""
    written = write_schemas(out)
    for path in written:
        click.echo(f"wrote {path}")
