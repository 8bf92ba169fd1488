from pathlib import Path

import pytest

from corroborate.errors import SettingsError
from corroborate.settings import TABLE, Settings, load

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_defaults_then_file_then_env_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[corroborate]\nstory_threshold = 0.4\nbatch_size = 7\nmax_bytes = 10\n")
    env = {"CORROBORATE_BATCH_SIZE": "9", "CORROBORATE_MAX_BYTES": "11"}
    s = load(config, env=env, max_bytes="12")
    assert s.story_threshold == 0.4  # file over default
    assert s.batch_size == 9  # environment over file
    assert s.max_bytes == 12  # flag over environment
    assert s.summary_sentences == Settings().summary_sentences


def test_unknown_setting_fails_with_a_hint() -> None:
    with pytest.raises(SettingsError, match="did you mean 'story_threshold'"):
        load(env={}, story_treshold=0.3)


def test_bad_value_names_the_setting_and_type() -> None:
    with pytest.raises(SettingsError, match="'batch_size' must be int"):
        load(env={"CORROBORATE_BATCH_SIZE": "many"})
    assert load(env={"CORROBORATE_ALLOW_PRIVATE_URLS": "yes"}).allow_private_urls is True


def test_missing_or_broken_config_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load(tmp_path / "nope.toml", env={})
    broken = tmp_path / "b.toml"
    broken.write_text("story_threshold = = 1")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load(broken, env={})


def test_every_setting_is_documented() -> None:
    docs = DOCS.read_text()
    for name, field in TABLE.items():
        assert f"`{name}`" in docs, f"docs/settings.md does not document {name}"
        assert repr(field.default) in docs or str(field.default) in docs, name
