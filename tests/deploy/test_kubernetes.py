"""deploy/kubernetes: schema-valid manifests whose probes, ports and selectors fit the app."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.deploy.helpers import DEFAULT_PORT, DEPLOY, app_routes, unknown_settings

MANIFESTS = DEPLOY / "kubernetes"
K8S_VERSION = "1.30.0"


def _load(name: str) -> dict:
    return yaml.safe_load((MANIFESTS / name).read_text())


@pytest.mark.parametrize("name", ["deployment.yaml", "service.yaml", "networkpolicy.yaml"])
def test_each_manifest_is_valid_against_the_strict_kubernetes_schema(name: str) -> None:
    kubernetes_validate.validate(_load(name), K8S_VERSION, strict=True)


def test_the_validator_rejects_a_misspelt_field() -> None:
    broken = _load("deployment.yaml")
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    listed = _load("kustomization.yaml")["resources"]
    assert sorted(listed) == sorted(
        p.name for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml"
    )
    assert all((MANIFESTS / Path(item)).is_file() for item in listed)


def test_probes_ports_and_settings_match_the_app() -> None:
    container = _load("deployment.yaml")["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] in app_routes()
        assert container[probe]["httpGet"]["port"] == "http"
    [port] = container["ports"]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert port == {"name": "http", "containerPort": DEFAULT_PORT} and env["SYNTHNER_PORT"] == str(
        DEFAULT_PORT
    )
    assert unknown_settings(list(env)) == []
    assert container["resources"]["limits"]["cpu"] and container["resources"]["limits"]["memory"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_service_and_network_policy_select_the_deployment_and_egress_is_denied() -> None:
    labels = _load("deployment.yaml")["spec"]["template"]["metadata"]["labels"]
    service, policy = _load("service.yaml"), _load("networkpolicy.yaml")
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
    assert "Egress" in policy["spec"]["policyTypes"] and policy["spec"]["egress"] == []
    assert policy["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": DEFAULT_PORT}]
