"""The `synthner` command line: one Typer app, one module per subcommand under `commands/`.

Command modules import torch, transformers and the like inside the command bodies, so
`synthner tag` and `synthner serve` run on the torch-free base install.
"""

import typer

app = typer.Typer(
    name="synthner",
    help="Clinical NER from synthetic data, run on your own machines.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

# Registered commands (each helper adds its own lines here).
from synthner.trainer.commands import evaluate, export, train  # noqa: E402
from synthner.trainer.commands import convert  # noqa: E402
from synthner.trainer.commands import generate  # noqa: E402
from synthner.trainer.commands import package, tag  # noqa: E402
from synthner.trainer.commands import train_prompt  # noqa: E402
from synthner.trainer.commands import serve  # noqa: E402
from synthner.trainer.commands import classifier  # noqa: E402

app.command("train")(train.train)
app.command("evaluate")(evaluate.evaluate)
app.command("export")(export.export)
app.command("convert")(convert.convert)
app.add_typer(generate.app, name="generate")
app.command("package")(package.package)
app.command("tag")(tag.tag)
generate.app.command("train-prompt")(train_prompt.train_prompt)
app.command("serve")(serve.serve)
app.add_typer(classifier.app, name="classifier")


if __name__ == "__main__":
    app()
