"""CLI: Typer commands over the library API (render, export, query, industries, sources, layouts,
validate, geocode, matrix); commands parse options, call one library function and turn
library errors into a one-line message and exit code 1."""
