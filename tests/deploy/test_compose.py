"""deploy/docker-compose.yml: parses, builds deploy/Dockerfile, and matches the app's settings."""

import yaml

from tests.deploy.helpers import DEFAULT_PORT, DEPLOY, unknown_settings


def test_the_compose_file_runs_the_image_locked_down_on_loopback() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    service = compose["services"]["synthner"]
    build = service["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (DEPLOY / "Dockerfile").resolve()
    assert service["ports"] == [f"127.0.0.1:{DEFAULT_PORT}:{DEFAULT_PORT}"]
    assert unknown_settings(list(service["environment"])) == []
    assert service["environment"]["SYNTHNER_API_TOKEN"].startswith("${SYNTHNER_API_TOKEN:?")
    assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
    assert service["user"].split(":")[0] != "0"
