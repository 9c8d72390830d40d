"""Entry point for `python -m app`: the same Typer CLI as the `kravlotsen` script."""

from app.cli import main

main()
