"""LibreOffice (headless) and poppler helpers for the Office-format tests.

No skipping: libreoffice-writer, libreoffice-calc and poppler-utils are in system-packages.txt;
a missing tool must fail. Each test session uses a private LibreOffice profile directory, so
parallel runs (and a LibreOffice the user has open) do not clash; the profile asks Calc to
recalculate every formula of an .xlsx on load, so converted files show LibreOffice's own
results, not the values stored in the file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is not installed (apt-get install libreoffice-writer libreoffice-calc)"
    return found


def make_profile(directory: Path) -> Path:
    """A fresh LibreOffice user profile that always recalculates spreadsheets on load."""
    (directory / "user").mkdir(parents=True, exist_ok=True)
    (directory / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    return directory


def convert(files: list[Path], target: str, outdir: Path, profile: Path, timeout: int = 240) -> list[Path]:
    """Convert several files in ONE LibreOffice start (``target`` e.g. "pdf", "xlsx");
    the converted paths, in the order of ``files``."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    out = [outdir / (f.stem + "." + target.split(":")[0]) for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert done.returncode == 0 and not missing, (done.returncode, missing, done.stdout, done.stderr)
    return out


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-enc", "UTF-8", "-layout", str(path), "-")


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) per font of a PDF."""
    rows = poppler("pdffonts", str(path)).splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]
