"""deploy/Dockerfile: multi-stage, non-root, HEALTHCHECK on the app's route and port, no torch."""

import re

from tests.deploy.helpers import DEFAULT_PORT, DEPLOY, app_routes, unknown_settings
from tests.serving.extras import dependency_closure


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text()
    joined = re.sub(
        r"\\\n\s*", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    )
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in joined.splitlines()
        if line.strip()
    ]


def _final_stage() -> list[tuple[str, str]]:
    steps = _instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def test_it_builds_in_one_stage_and_runs_in_another_as_a_non_root_user() -> None:
    froms = [args for op, args in _instructions() if op == "FROM"]
    assert len(froms) >= 2 and froms[0].endswith("AS build")
    final = _final_stage()
    assert any(op == "COPY" and args.startswith("--from=build /opt/synthner") for op, args in final)
    users = [args for op, args in final if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert final[-1] == ("CMD", '["synthner", "serve"]')


def test_the_healthcheck_port_and_environment_match_the_app() -> None:
    final = _final_stage()
    [healthcheck] = [args for op, args in final if op == "HEALTHCHECK"]
    path = re.search(r"127\.0\.0\.1:\{port\}(/\w+)", healthcheck).group(1)
    assert path == "/healthz" and path in app_routes()
    assert f"'SYNTHNER_PORT', '{DEFAULT_PORT}'" in healthcheck
    assert [args for op, args in final if op == "EXPOSE"] == [str(DEFAULT_PORT)]
    env = " ".join(args for op, args in final if op == "ENV")
    names = re.findall(r"(\w+)=", env)
    assert (
        unknown_settings(names) == [] and "SYNTHNER_MODEL" in names and f"SYNTHNER_PORT={DEFAULT_PORT}" in env
    )
    assert any(op == "COPY" and "${PIPELINE} /srv/synthner/pipeline" in args for op, args in final)


def test_it_installs_only_the_serve_extra_and_that_pulls_in_no_torch() -> None:
    steps = _instructions()
    installs = [args for op, args in steps if op == "RUN" and "pip install" in args]
    assert installs == ['/opt/synthner/bin/pip install ".[serve]"']
    assert not any("torch" in args.lower() for _, args in steps)
    closure = dependency_closure({"serve"})
    assert {"fastapi", "uvicorn", "spacy", "onnxruntime"} <= closure
    assert not closure & {"torch", "transformers", "optimum", "accelerate", "gliner", "peft"}
    assert "torch" in dependency_closure({"train"})  # the walk does see extras


def test_the_build_context_is_limited_to_what_the_image_copies() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert ignore[ignore.index("**") + 1 :][:6] == [
        "!pyproject.toml",
        "!README.md",
        "!spacy_component/",
        "!serving/",
        "!trainer/",
        "!models/",
    ]
