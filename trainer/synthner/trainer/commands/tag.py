"""`synthner tag`: tag notes in bulk with a synthner pipeline, resumably, on the base install."""

from pathlib import Path
from typing import Annotated, Optional

import typer


def tag(
    source: Annotated[
        str, typer.Argument(metavar="INPUT", help="Quoted text, .txt file, folder of .txt, .jsonl, .csv, or - (stdin).")
    ],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Output file or folder (default: JSONL on stdout).")
    ] = None,
    model: Annotated[
        Optional[str],
        typer.Option(help="ade, bio, a pipeline folder or installed package, or an exported model folder."),
    ] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="jsonl, csv, brat, docbin or ade-report (default: from OUTPUT).")] = None,
    input_format: Annotated[str, typer.Option(help="auto, text, txt, folder, jsonl or csv.")] = "auto",
    id_col: Annotated[str, typer.Option(help="CSV column with the note id (if absent: line numbers).")] = "id",
    text_col: Annotated[str, typer.Option(help="CSV column with the note text.")] = "text",
    errors: Annotated[
        Optional[Path], typer.Option(help="Bad records as JSONL (default: OUTPUT.errors.jsonl, or stderr).")
    ] = None,
    html: Annotated[Optional[Path], typer.Option(help="Also render this run's notes with displaCy.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Notes per batch.")] = 32,
    threads: Annotated[int, typer.Option(min=0, help="onnxruntime threads (0: one per core).")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    ade_report: Annotated[
        bool,
        typer.Option("--ade-report", help="Write OUTPUT as the ADE report: a CSV row per (note, drug, effect)."),
    ] = False,
) -> None:
    """Tag INPUT; rerun with the same OUTPUT to resume after an interruption.

    JSONL output: {"id", ...other input fields, "entities": [{"start", "end", "label", "text", "score"}]}, offsets into the input text; with an assertion model, ADE/DISEASE entities add "assertion" and "assertion_score"; with a relation model, "relations": [{"head", "tail", "label", "score"}] index the entities. CSV: one row per entity. BRAT and DocBin (.spacy) outputs are folders.

    --ade-report: CSV rows id, drug, drug_start, drug_end, ade, ade_start, ade_end, relation, relation_score, assertion, assertion_score; an ADE linked to no drug gets a row with the drug empty. Needs a pipeline built with synthner package --relations (and --assertion).

    Bad records go to the errors file with their line numbers; the run goes on.
    """
    from rich.console import Console

    from synthner.spacy_component.loading import (
        PipelineNotFound,
        classifier_components,
        load_pipeline,
        synthner_component,
    )
    from synthner.trainer.tagging.checkpoint import ResumeError
    from synthner.trainer.tagging.console import print_summary, progress_bar, write_html
    from synthner.trainer.tagging.notes import InputError, count_notes, input_format as detect, read_notes
    from synthner.trainer.tagging.run import ErrorLog, TagRun
    from synthner.trainer.tagging.sinks import open_sink, output_format

    console = Console(stderr=True)

    def fail(error: Exception) -> typer.Exit:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        return typer.Exit(1)

    try:
        in_fmt = detect(source, input_format)
        if ade_report and fmt not in (None, "ade-report"):
            raise ValueError(f"--ade-report writes its own CSV format; drop --format {fmt}")
        out_fmt = output_format(output, "ade-report" if ade_report else fmt)
        nlp = load_pipeline(model, threads=threads)
        component = synthner_component(nlp)[1]
        component.load_tagger()  # a broken model fails here, not mid-run
        classifiers = classifier_components(nlp)
        for classifier in classifiers:
            classifier.load_classifier()
        if out_fmt == "ade-report" and not any(c.task == "relation" for c in classifiers):
            raise ValueError(
                "--ade-report needs a pipeline with a synthner_relations component "
                "(build one with synthner package --relations MODEL_DIR)"
            )
        sink = open_sink(output, out_fmt, component.spans_key)
    except (InputError, ValueError, PipelineNotFound, ResumeError, OSError) as error:
        raise fail(error) from None
    errors_path = errors or (Path(f"{output}.errors.jsonl") if output is not None else None)
    log = ErrorLog(errors_path)
    name = "<text>" if in_fmt == "text" and source != "-" else source  # never echo a quoted note
    run = TagRun(nlp, sink, log, name, out_fmt, batch_size, collect_html=html is not None)
    try:
        with progress_bar(console, count_notes(source, in_fmt), enabled=progress) as advance:
            summary = run.run(read_notes(source, in_fmt, id_col, text_col), advance)
    except InputError as error:
        raise fail(error) from None
    finally:
        sink.close()
        log.close()
    if html is not None:
        write_html(run.html, html)
    print_summary(console, summary, errors_path)
