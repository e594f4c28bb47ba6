"""The translation gate: every string in the code and templates has a Finnish and a
Swedish translation. Runs makemessages on a copy of the project, so a string added
without updating the catalogues fails here, not in front of a user."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

LANGUAGES = ("fi", "sv")


def untranslated(po_file) -> list[str]:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = [
        line for line in (result.stdout + fuzzy.stdout).splitlines() if line.startswith("msgid ")
    ]
    return [entry for entry in entries if entry != 'msgid ""']


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory):
    if shutil.which("msgattrib") is None:
        pytest.skip("gettext is not installed (make installs it as root)")
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "*.sqlite3", "__pycache__", "*.mo"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--ignore=tests", "-v", "0"]
        + [arg for code in LANGUAGES for arg in ("-l", code)],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(refreshed_catalogues, language):
    po_file = refreshed_catalogues / "locale" / language / "LC_MESSAGES" / "django.po"
    missing = untranslated(po_file)
    assert not missing, f"{len(missing)} strings lack a '{language}' translation: {missing[:10]}"
