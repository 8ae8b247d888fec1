"""ServeSettings: flags win over SYNTHNER_* variables; impossible settings are refused."""

import pytest
from pydantic import ValidationError
from synthner.serving import ServeSettings


def test_environment_variables_with_the_prefix_set_fields_and_arguments_win(monkeypatch) -> None:
    monkeypatch.setenv("SYNTHNER_PORT", "9001")
    monkeypatch.setenv("SYNTHNER_API_TOKEN", "from-env")
    monkeypatch.setenv("SYNTHNER_CORS_ORIGINS", '["http://ward.example"]')
    monkeypatch.setenv("SYNTHNER_UNRELATED_THING", "ignored")
    settings = ServeSettings(workers=3)
    assert (settings.port, settings.workers, settings.cors_origins) == (9001, 3, ["http://ward.example"])
    assert settings.api_token is not None and settings.api_token.get_secret_value() == "from-env"
    assert "from-env" not in repr(settings)
    assert ServeSettings(port=9002).port == 9002


def test_defaults_are_safe() -> None:
    settings = ServeSettings()
    assert settings.host == "127.0.0.1" and settings.api_token is None and settings.cors_origins == []


def test_impossible_or_unknown_settings_are_refused() -> None:
    with pytest.raises(
        ValidationError, match="max_pending_docs \\(4\\) must be at least max_batch_docs \\(8\\)"
    ):
        ServeSettings(max_pending_docs=4, max_batch_docs=8)
    with pytest.raises(ValidationError, match="workers"):
        ServeSettings(workers=0)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ServeSettings(max_text_length=5)
