"""kpis.paths: where the figures are, and a database setting that is wrong is refused."""

from __future__ import annotations

import pytest

from kpis import paths
from kpis.errors import DatabaseSettingInvalid


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_DATABASE_URL", raising=False)
    file = tmp_path / "secrets.toml"
    monkeypatch.setenv("KPI_SECRETS", str(file))
    return file


@pytest.mark.parametrize(
    "value",
    [
        "postgresq://kpi:s3cret@db.example/kpi",  # a misspelt scheme
        "POSTGRESQL://kpi:s3cret@db.example/kpi",  # libpq reads the scheme in lower case only
        "host=db.example password=s3cret x",  # keywords libpq cannot parse
        "db.example/kpi",
    ],
)
def test_a_database_url_that_is_not_one_is_refused_without_repeating_it(
    value, monkeypatch, tmp_path
):
    monkeypatch.setenv("KPI_DATABASE_URL", value)
    monkeypatch.setenv("KPI_DATA", str(tmp_path))  # never taken in its stead
    with pytest.raises(DatabaseSettingInvalid) as refused:
        paths.data_location()
    for lang in ("vi", "en"):
        said = refused.value.message(lang)
        assert "KPI_DATABASE_URL" in said and "s3cret" not in said and "db.example" not in said


def test_libpq_keywords_are_a_database_as_a_url_with_the_same_parameters(monkeypatch):
    from psycopg.conninfo import conninfo_to_dict

    written = "host=db.example port=5433 dbname=kpi user=kpi password='a b&c=1+2'"
    monkeypatch.setenv("KPI_DATABASE_URL", written)
    url = paths.data_location()
    assert paths.is_database_url(url)
    assert conninfo_to_dict(url) == conninfo_to_dict(written)


def test_a_secrets_file_whose_database_section_does_not_parse_is_refused(secrets, tmp_path):
    secrets.write_text('[database]\nurl = "postgresql://kpi:s3cret@db/kpi\n', encoding="utf-8")
    with pytest.raises(DatabaseSettingInvalid) as refused:
        paths.data_location()
    said = refused.value.message("vi")
    assert "[database] url (secrets.toml)" in said and "s3cret" not in said
    assert str(tmp_path) not in said  # the file's name, not the server's path


def test_a_database_section_without_a_url_or_with_a_wrong_one_is_refused(secrets):
    for text in ("[database]\nuri = 'postgresql://db/kpi'\n", "[database]\nurl = 'db/kpi'\n"):
        secrets.write_text(text, encoding="utf-8")
        with pytest.raises(DatabaseSettingInvalid):
            paths.data_location()


def test_without_a_database_setting_the_data_folder_is_used(secrets, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA", str(tmp_path))
    assert paths.data_location() == tmp_path  # no secrets file
    secrets.write_text("[passwords]\nan = 'x'\n", encoding="utf-8")
    assert paths.data_location() == tmp_path
    # a secrets file broken elsewhere: kpis.auth reports it; the figures are the folder's
    secrets.write_text("[passwords\nan = 'x'\n", encoding="utf-8")
    assert paths.data_location() == tmp_path
    secrets.write_text("[database]\nurl = 'postgresql://db/kpi'\n", encoding="utf-8")
    assert paths.data_location() == "postgresql://db/kpi"


def test_a_misspelt_scheme_given_as_data_is_not_taken_for_a_folder():
    with pytest.raises(DatabaseSettingInvalid):
        paths.data_location("postgresq://kpi:s3cret@db/kpi")
