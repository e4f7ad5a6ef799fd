"""``selfeval notebooks DIR``: copies of the bundled notebooks in a folder of the user's choice, to
open in JupyterLab; the package's own notebooks are never opened, so running and saving a copy
changes neither the package nor what the batch considers up to date.

The copies run as they are anywhere: an empty path in a parameters cell means the bundled example
(:func:`~selfeval_lib.resources.example_params`). A copy that already exists is kept when only its
outputs differ (the user ran it) or when its cells were edited, unless ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from selfeval_lib.cli.common import extra_installed
from selfeval_lib.services.notebooks import EDITED, copy_notebooks


def cmd_notebooks(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    done = copy_notebooks(folder, force=args.force)
    for target, status in done:
        print(f"{status} {target}")
    if any(status == EDITED for _, status in done):
        print("提示：已修改的笔记本未覆盖；要换成随包的版本，加 --force（你的修改会丢失）", file=sys.stderr)
    if not extra_installed("lab"):
        print("打开笔记本需要 JupyterLab：pip install \"selfeval[lab]\"，然后运行 jupyter lab " + str(folder),
              file=sys.stderr)
    else:
        print(f"下一步：jupyter lab {folder}（笔记本默认打开随包附带的示例项目，把参数单元格中的路径改成你的文件即可）",
              file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's command to the ``selfeval`` parser."""
    n = sub.add_parser("notebooks", help="把分析笔记本复制到你选的文件夹，用 JupyterLab 打开（不改动程序自带的笔记本）",
                       description="把随包附带的笔记本（自评报告、运行监控、自评表复核、质量复核、年度汇总）复制到 FOLDER。"
                                   "复制件默认打开随包附带的示例项目；在参数单元格中填写你的参数文件路径即可分析你的项目。"
                                   "已存在且修改过的笔记本不会被覆盖。")
    n.add_argument("folder", metavar="FOLDER", help="目标文件夹（不存在时新建）")
    n.add_argument("--force", action="store_true", help="用随包的版本覆盖已修改的笔记本")
    n.set_defaults(func=cmd_notebooks)
