"""The data files load and are checked; a bad file stops start-up naming file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT, Settings
from app.content import Content, load_content
from app.data.files import DataFileError
from app.main import create_app


def test_shipped_data_files_load(content: Content) -> None:
    assert [step.id for step in content.wizard.steps][:3] == ["basics", "situation", "needs"]
    assert len(content.library.templates) >= 10
    area_ids = {area.id for area in content.library.procurement_areas}
    assert {"it", "welfare_tech", "food"} <= area_ids


def _copy_library(tmp_path: Path) -> Path:
    library = tmp_path / "requirement_library"
    shutil.copytree(PROJECT_ROOT / "requirement_library", library)
    return library


def test_bad_library_file_stops_start_up_with_file_line_and_field(tmp_path: Path) -> None:
    library = _copy_library(tmp_path)
    it_file = library / "it.yaml"
    lines = it_file.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("level:"))
    lines[index] = lines[index].split("level:")[0] + "level: expert"
    it_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(  # type: ignore[call-arg]
        KRAVLOTSEN_ENV="test",
        DATABASE_URL="sqlite://",
        KRAVLOTSEN_VAR_DIR=tmp_path,
        library_dir=library,
    )
    with pytest.raises(DataFileError) as caught:
        create_app(settings)
    message = str(caught.value)
    assert f"it.yaml:{index + 1}" in message
    assert "level" in message


def test_undeclared_parameter_is_reported(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    shutil.copy(PROJECT_ROOT / "requirement_library" / "areas.yaml", library / "areas.yaml")
    (library / "it.yaml").write_text(
        """area: it
prefix: IT
templates:
  - id: IT-001
    kind: function
    type: teknisk_specifikation
    level: bas
    obligation: ska
    title: {sv: Svarstid, en: Response time}
    text: {sv: "Svarstiden ska vara under {sekunder} s.", en: "Response time shall be under 2 s."}
    motive: {sv: M, en: M}
    verification: {sv: V, en: V}
    triggers: {equals: {question: area, value: it}}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_content(PROJECT_ROOT / "wizard_steps", library)
    assert "it.yaml:4" in str(caught.value)
    assert "sekunder" in str(caught.value)


def test_trigger_on_unknown_question_is_reported(tmp_path: Path) -> None:
    library = _copy_library(tmp_path)
    it_file = library / "it.yaml"
    text = it_file.read_text(encoding="utf-8")
    it_file.write_text(text.replace("question: area", "question: omrade", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_content(PROJECT_ROOT / "wizard_steps", library)
    assert "it.yaml:" in str(caught.value) and "omrade" in str(caught.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    steps = tmp_path / "steps"
    shutil.copytree(PROJECT_ROOT / "wizard_steps", steps)
    (steps / "01-basics.yaml").write_text(
        "id: basics\norder: 1\ntitle: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError) as caught:
        load_content(steps, PROJECT_ROOT / "requirement_library")
    assert "01-basics.yaml:" in str(caught.value)
