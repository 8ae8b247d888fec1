"""Option parsing shared by several commands."""

import typer


def parse_label_map(pairs: list[str] | None) -> dict[str, str]:
    """`["Adverse-Effect=ADE", ...]` -> {"Adverse-Effect": "ADE"}; a malformed pair is a usage error."""
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        old, sep, new = pair.partition("=")
        if not sep or not old or not new:
            raise typer.BadParameter(f"{pair!r} is not OLD=NEW", param_hint="--map")
        mapping[old] = new
    return mapping
