"""Transition re-exports: the checks now live by concern.

- :mod:`selfeval_lib.core.findings` — codes, severities, :class:`Finding`, ``sort_findings``;
- :mod:`selfeval_lib.core.approvals` — voucher statuses and approval findings;
- :mod:`selfeval_lib.core.fund_checks` — budget execution, arrival, rhythm, ledger;
- :mod:`selfeval_lib.core.indicator_checks` — the indicator checks shared with the review;
- :mod:`selfeval_lib.core.claim_checks` — the unit's claims.

Import from those modules; this one goes once nothing imports it.
"""

from __future__ import annotations

from selfeval_lib.core.approvals import VoucherStatus, approval_findings, required_roles, voucher_statuses
from selfeval_lib.core.claim_checks import claim_findings
from selfeval_lib.core.findings import SEVERITY_ORDER, SEVERITY_ZH, Finding, FindingCode, Severity, sort_findings
from selfeval_lib.core.fund_checks import fund_findings
from selfeval_lib.core.indicator_checks import (
    indicator_findings,
    is_cost_level2,
    is_placeholder,
    is_quantity_level2,
)

__all__ = [
    "SEVERITY_ORDER", "SEVERITY_ZH", "Finding", "FindingCode", "Severity", "VoucherStatus", "approval_findings",
    "claim_findings", "fund_findings", "indicator_findings", "is_cost_level2", "is_placeholder",
    "is_quantity_level2", "required_roles", "sort_findings", "voucher_statuses",
]
