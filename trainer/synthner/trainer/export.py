"""ONNX export with int8 dynamic quantisation, ending in a parity check against PyTorch."""

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from synthner.spacy_component.entities import Entity
from synthner.spacy_component.model_files import MODEL_FILE, TOKENIZER_FILE, read_meta, write_meta
from synthner.spacy_component.onnx_scorer import load_onnx_tagger
from synthner.trainer.evaluation.metrics import MICRO, evaluate
from synthner.trainer.parity_texts import parity_texts
from synthner.trainer.training.torch_model import load_torch_tagger

PARITY_FILE = "parity.json"


class Report(Protocol):
    """What every parity report has: an agreement with PyTorch and the threshold it had to meet."""

    agreement: float
    threshold: float

    @property
    def passed(self) -> bool: ...


R = TypeVar("R", bound=Report)


class ParityError(RuntimeError):
    """The quantised model disagrees with the original more than allowed."""


@dataclass
class ParityReport:
    """Entity-level agreement of the int8 model with PyTorch (PyTorch taken as the reference)."""

    texts: int
    entities_torch: int
    entities_onnx: int
    agreement: float  # strict micro F1 of int8 entities against PyTorch entities
    threshold: float

    @property
    def passed(self) -> bool:
        return self.agreement >= self.threshold


def export_model(
    model_dir: Path, output: Path, texts: list[str] | None = None, threshold: float = 0.99
) -> ParityReport:
    """Export `model_dir` to `output` (model.onnx int8, tokenizer.json, synthner.json, parity.json).
    Raises ParityError below `threshold`, keeping the rejected export beside `output`."""
    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    texts = texts if texts is not None else parity_texts(model_dir)

    def fill(staging: Path) -> ParityReport:
        write_int8_onnx(model_dir, staging, "token-classification")
        shutil.copyfile(model_dir / TOKENIZER_FILE, staging / TOKENIZER_FILE)
        write_meta(staging, meta)
        return check_parity(model_dir, staging, texts, threshold)

    return staged_export(Path(output), fill, "entities")


def staged_export(output: Path, fill: Callable[[Path], R], unit: str) -> R:
    """Build an export in a staging folder beside `output` with `fill` (which returns its parity
    report, a dataclass), write parity.json, and move it to `output`, or to `OUTPUT.failed-parity` and raise
    ParityError when the report did not pass. `unit` names what the agreement counts."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    staging.chmod(0o755)
    try:
        report = fill(staging)
        (staging / PARITY_FILE).write_text(
            json.dumps({**asdict(report), "passed": report.passed}, indent=2), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    target = output if report.passed else output.with_name(output.name + ".failed-parity")
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    if not report.passed:
        raise ParityError(
            f"int8 model agrees with PyTorch on {report.agreement:.2%} of {unit}, under the "
            f"threshold {report.threshold:.2%}; the rejected export is in {target}"
        )
    return report


def write_int8_onnx(model_dir: Path, output: Path, task: str) -> None:
    """Export the transformers model in `model_dir` for `task` and write `output/model.onnx` int8."""
    from optimum.exporters.onnx import main_export

    with tempfile.TemporaryDirectory() as fp32_dir:
        main_export(str(model_dir), output=fp32_dir, task=task, local_files_only=True)
        quantise(Path(fp32_dir) / "model.onnx", output / MODEL_FILE)


def quantise(fp32_path: Path, out_path: Path) -> None:
    """Dynamic int8 quantisation of an exported encoder, its classifier head left in float."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The classifier head is tiny and decides every label: keep it in float. Reduced-range
    # weights avoid int16 saturation of u8*s8 products on CPUs without VNNI.
    head = [n.name for n in onnx.load(fp32_path, load_external_data=False).graph.node
            if n.name.startswith("/classifier/")]
    quantize_dynamic(
        fp32_path,
        out_path,
        per_channel=True,
        reduce_range=True,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=head,
    )


def check_parity(model_dir: Path, onnx_dir: Path, texts: list[str], threshold: float) -> ParityReport:
    """Tag `texts` with both models through the same runtime decoding and compare entities."""
    reference = load_torch_tagger(model_dir).tag(texts)
    candidate = load_onnx_tagger(onnx_dir).tag(texts)
    micro = evaluate(_triples(reference), _triples(candidate)).strict[MICRO]
    agreement = micro.f1 if micro.n_gold or micro.n_pred else 1.0
    return ParityReport(len(texts), micro.n_gold, micro.n_pred, round(agreement, 4), threshold)


def _triples(predicted: list[list[Entity]]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label) for e in entities] for entities in predicted]
