"""Readers: from a file (or a folder of files) to a validated ``Input``.

``read_input`` picks the reader by what the path is: a ``.yaml``/``.yml`` file, a
folder of YAML files (one per part of the data, merged by top-level key), or an
Excel workbook made by ``disclose template``. Every reader returns plain data plus
a ``SourceMap``; ``disclose.model.load`` validates it, so every input format gets
the same schema and the same messages.
"""

from __future__ import annotations

from pathlib import Path

from disclose import findings as F
from disclose.findings import InputError, Location, SourceMap
from disclose.model.load import Input, load_dataset
from disclose.readers.yaml_reader import read_yaml

YAML_SUFFIXES = {".yaml", ".yml"}
EXCEL_SUFFIXES = {".xlsx"}
MAX_FOLDER_FILES = 50


def read_input(path: Path) -> Input:
    data, source = read_raw(path)
    loaded = load_dataset(data, source)
    # Readers may note what they accepted with a remark (e.g. a number typed as text in a cell).
    loaded.warnings[:0] = getattr(source, "notes", [])
    return loaded


def read_raw(path: Path) -> tuple[dict, SourceMap]:
    shown = str(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise InputError([F.FILE_NOT_FOUND([Location(shown)], path=shown)])
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return read_yaml(path)
    if suffix in EXCEL_SUFFIXES:
        from disclose.readers.excel_reader import read_workbook  # openpyxl is heavy: load on demand

        return read_workbook(path)
    if suffix in {".xls", ".xlsm", ".xlsb", ".et", ".ods", ".csv"}:
        raise InputError(
            [
                F.FILE_FORMAT(
                    [Location(shown)],
                    reason=f"不支持 {suffix} 文件。请用 disclose template 生成的 .xlsx 工作簿填报，"
                    "或在 Excel/WPS 中“另存为”Excel 工作簿（*.xlsx）后再试",
                )
            ]
        )
    raise InputError(
        [F.FILE_FORMAT([Location(shown)], reason=f"无法识别的文件类型“{suffix or '（无扩展名）'}”：请提供 .yaml 数据文件或 .xlsx 工作簿")]
    )


def _no_yaml_in(folder: Path) -> str:
    """Why a folder is no input, and what the user likely meant."""
    reason = "文件夹中没有 .yaml 数据文件（一个文件夹是一份数据，分成 profile.yaml 等几个 YAML 文件）"
    workbooks = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES)
    if workbooks:
        reason += f"。文件夹中有工作簿 {'、'.join(workbooks[:3])}{' 等' if len(workbooks) > 3 else ''}：请直接给出工作簿，如 {folder / workbooks[0]}"
    return reason


def _read_folder(folder: Path) -> tuple[dict, SourceMap]:
    """A folder of YAML files, e.g. profile.yaml, tables.yaml, performance.yaml.

    Each top-level key may stand in one file only, so nothing is silently overridden.
    """
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.is_file())
    here = Location(str(folder))
    if not files:
        raise InputError([F.FILE_FORMAT([here], reason=_no_yaml_in(folder))])
    if len(files) > MAX_FOLDER_FILES:
        raise InputError([F.FILE_FORMAT([here], reason=f"文件夹中有 {len(files)} 个 YAML 文件，超过上限 {MAX_FOLDER_FILES}")])
    merged: dict = {}
    source = SourceMap(str(folder))
    owner: dict[str, Path] = {}
    problems = []
    for file in files:
        data, part = read_yaml(file)
        for key, value in data.items():
            if key in merged:
                problems.append(F.FOLDER_DUPLICATE_KEY([part.locate((key,))], key=key, first=owner[key].name, second=file.name))
                continue
            merged[key] = value
            owner[key] = file
        source.places.update(part.places)
    if problems:
        raise InputError(problems)
    source.places[()] = Location(str(folder))
    return merged, source
