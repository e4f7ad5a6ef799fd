"""What a run produces and where its inputs live: formats, file names, notebook locations.

Kept free of heavy imports so that planning a batch (which mostly skips) starts fast.
"""

from __future__ import annotations


FORMATS = ("ipynb", "html", "pdf", "xlsx", "docx")
#: The file each format writes in the project's folder.
FILE_NAMES = {"ipynb": "report.ipynb", "html": "report.html", "pdf": "report.pdf", "xlsx": "自评表.xlsx",
              "docx": "report.docx"}
#: Formats that need the notebook executed (the Office files are built from the evaluation).
NOTEBOOK_FORMATS = ("ipynb", "html", "pdf")
DEFAULT_FORMATS = "ipynb,html,pdf"


def parse_formats(text: str) -> tuple[str, ...]:
    """"ipynb,html,pdf" → a tuple in canonical order; ValueError names an unknown format."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise ValueError(f"未知的输出格式：{', '.join(unknown)}（可选：{', '.join(FORMATS)}）")
    return tuple(f for f in FORMATS if f in wanted)


def expected_files(formats: tuple[str, ...]) -> list[str]:
    """The files a run with these formats writes into the project's folder."""
    return [FILE_NAMES[f] for f in formats] + ["metrics.json"]
