"""selfeval: 项目支出绩效自评报告与自评表 from budget and performance data.

The core is pure: :func:`load_project` checks a params file once, at the edge, and
:func:`evaluate` turns the validated :class:`ProjectYear` into an :class:`Evaluation`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("selfeval")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

from selfeval_lib.core.evaluation import Evaluation, evaluate, to_dict  # noqa: E402
from selfeval_lib.core.model import ProjectYear  # noqa: E402
from selfeval_lib.errors import InputError, SelfevalError  # noqa: E402
from selfeval_lib.inputs.params import LoadedProject, load_project  # noqa: E402
from selfeval_lib.core.rules import RuleSet  # noqa: E402

__all__ = [
    "Evaluation",
    "InputError",
    "LoadedProject",
    "ProjectYear",
    "RuleSet",
    "SelfevalError",
    "__version__",
    "evaluate",
    "load_project",
    "to_dict",
]
