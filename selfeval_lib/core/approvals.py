"""Payment approvals (docs/rules.md §8.3): which roles must sign a voucher, which signed, and
the findings for the vouchers that lack a signature. Pure; amounts in 元."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable, NamedTuple

from selfeval_lib.core import formatting as fmt
from selfeval_lib.core.findings import Finding, FindingCode, finding
from selfeval_lib.core.model import Payment
from selfeval_lib.core.rules import ApprovalRule


class VoucherStatus(NamedTuple):
    """Approval status of one payment voucher under the rule set's approval rule (a tuple: one is
    built per payment, so it must be cheap). ``amount`` in 元."""

    voucher: str
    date: dt.date
    amount: Decimal
    payee: str
    item: str
    required: tuple[str, ...]
    given: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def compliant(self) -> bool:
        return not self.missing


ThresholdTable = tuple[tuple[Decimal, tuple[str, ...]], ...]


def _threshold_table(rule: ApprovalRule) -> ThresholdTable:
    return tuple((Decimal(str(t.min_amount)), t.roles) for t in rule.thresholds)


def _required(amount: Decimal, every_voucher: tuple[str, ...], table: ThresholdTable) -> tuple[str, ...]:
    roles = every_voucher
    for min_amount, extra in table:
        if amount >= min_amount:
            roles += tuple(r for r in extra if r not in roles)
    return roles


def required_roles(amount: Decimal, rule: ApprovalRule) -> tuple[str, ...]:
    """Roles that must sign a payment of ``amount`` 元: every voucher's roles, plus those of each
    threshold the amount reaches (以上 includes the amount: 5,000元 needs the 5,000元 roles)."""
    return _required(amount, rule.every_voucher, _threshold_table(rule))


def voucher_statuses(payments: Iterable[Payment], rule: ApprovalRule) -> tuple[VoucherStatus, ...]:
    """Which required signatures each payment has and which it lacks."""
    table = _threshold_table(rule)
    out = []
    for p in payments:
        required = _required(p.amount, rule.every_voucher, table)
        given = tuple(p.approvals)
        out.append(VoucherStatus(
            voucher=p.voucher, date=p.date, amount=p.amount, payee=p.payee, item=p.item,
            required=required, given=given, missing=tuple(r for r in required if r not in given),
        ))
    return tuple(out)


def approval_findings(statuses: Iterable[VoucherStatus], rule: ApprovalRule) -> list[Finding]:
    """One finding per voucher that lacks a signature, split into the every-voucher roles and
    the roles its amount calls for (党委会, 分管区领导 …)."""
    findings = []
    base = set(rule.every_voucher)
    for s in statuses:
        basic = [r for r in s.missing if r in base]
        escalated = [r for r in s.missing if r not in base]
        if basic:
            findings.append(finding(
                FindingCode.APPROVAL_SIGNATURE_MISSING,
                f"支付凭证 {s.voucher}（{s.date}，{fmt.yuan(s.amount)}，{s.payee}）缺少{'、'.join(basic)}签字。",
                s.voucher,
            ))
        if escalated:
            findings.append(finding(
                FindingCode.APPROVAL_ESCALATION_MISSING,
                f"支付凭证 {s.voucher}（{s.date}，{fmt.yuan(s.amount)}）达到大额支付标准，但缺少{'、'.join(escalated)}审批。",
                s.voucher,
            ))
    return findings
