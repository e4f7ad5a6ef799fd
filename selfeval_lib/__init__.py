"""selfeval: 项目支出绩效自评报告与自评表 from budget and performance data.

The core is pure: :func:`load_project` checks a params file once, at the edge, and
:func:`evaluate` turns the validated :class:`ProjectYear` into an :class:`Evaluation`.
"""

from selfeval_lib._version import __version__
from selfeval_lib.core.evaluation import Evaluation, evaluate, to_dict
from selfeval_lib.core.model import ProjectYear
from selfeval_lib.core.rules import RuleSet
from selfeval_lib.errors import InputError, SelfevalError
from selfeval_lib.inputs.params import LoadedProject, load_project

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
