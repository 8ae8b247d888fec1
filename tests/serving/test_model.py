"""GET /v1/model: labels, version and the model card summary."""

import httpx


def test_model_info_names_the_labels_and_version(client: httpx.Client) -> None:
    response = client.get("/v1/model")
    assert response.status_code == 200
    info = response.json()
    assert info["name"] == "synthner_tiny" and info["version"] == "0.0.1"
    assert sorted(info["labels"]) == ["ADE", "DRUG"]
    assert ", ".join(info["labels"]) in info["description"]
    assert isinstance(info["model_card"], dict)


def test_an_exported_model_folder_is_served_under_its_own_name(limited_client: httpx.Client) -> None:
    info = limited_client.get("/v1/model").json()
    assert (info["name"], info["version"], sorted(info["labels"])) == ("tiny_ade", "0.0.1", ["ADE", "DRUG"])
