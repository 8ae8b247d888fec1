"""Session fixtures: tiny relation and assertion classifiers trained on `classifier_data`,
exported to int8 ONNX, and a pipeline with NER, assertion and relations saved to disk."""

from pathlib import Path

import pytest

from tests.classifier_data import assertion_examples, relation_examples, write_examples


@pytest.fixture(scope="session")
def classifier_corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("classifier_data")
    return {
        "relation": write_examples(relation_examples(96, seed=1), folder / "relations.jsonl"),
        "relation_dev": write_examples(relation_examples(24, seed=2), folder / "relations_dev.jsonl"),
        "assertion": write_examples(assertion_examples(16, seed=1), folder / "assertion.jsonl"),
    }


def _train(task: str, train: Path, output: Path, dev: Path | None = None, **settings: object) -> Path:
    from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
    from synthner.trainer.classify.trainer import ClassifierTrainer

    config = ClassifierConfig(
        task=task,
        train=[ClassifierSource(path=train)],
        dev=ClassifierSource(path=dev) if dev else None,
        output=output,
        batch_size=16,
        learning_rate=1e-4,
        threads=1,
        name=f"tiny_{task}",
        version="0.0.1",
        **settings,
    )
    ClassifierTrainer(config, show_progress=False).train()
    return output


@pytest.fixture(scope="session")
def relation_model(classifier_corpora: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A relation classifier (PyTorch folder): 3 epochs of 6 steps, early stopping on the dev file."""
    output = tmp_path_factory.mktemp("classifiers") / "relation"
    return _train(
        "relation", classifier_corpora["relation"], output, classifier_corpora["relation_dev"], epochs=3
    )


@pytest.fixture(scope="session")
def assertion_model(classifier_corpora: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An assertion classifier (PyTorch folder): 4 epochs of 5 steps, no dev file."""
    output = tmp_path_factory.mktemp("classifiers") / "assertion"
    return _train("assertion", classifier_corpora["assertion"], output, epochs=4)


@pytest.fixture(scope="session")
def relation_onnx(relation_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synthner.trainer.classify.export import export_classifier

    output = tmp_path_factory.mktemp("classifiers_onnx") / "relation"
    export_classifier(relation_model, output)
    return output


@pytest.fixture(scope="session")
def assertion_onnx(assertion_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from synthner.trainer.classify.export import export_classifier

    output = tmp_path_factory.mktemp("classifiers_onnx") / "assertion"
    export_classifier(assertion_model, output)
    return output


@pytest.fixture(scope="session")
def ade_pipeline_dir(
    exported_model: Path, relation_onnx: Path, assertion_onnx: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """`synthner package --relations --assertion` output: NER, assertion and relations."""
    from synthner.trainer.packaging import package_pipeline

    folder = tmp_path_factory.mktemp("ade_pipeline") / "en_synthner_tinyade"
    return package_pipeline(
        exported_model, folder, "en_synthner_tinyade", relations=relation_onnx, assertion=assertion_onnx
    )
