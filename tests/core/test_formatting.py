"""Numbers shown one way (issue 12 item 6): one rounding rule, two decimals everywhere."""

from decimal import Decimal

import pytest

from selfeval_lib.core import formatting as fmt


@pytest.mark.parametrize("value, expected", [(97.125, 97.13), (2.675, 2.68), (1.005, 1.01), (-1.005, -1.01),
                                             (96.5, 96.5), (100, 100.0)])
def test_one_rounding_rule_half_up_on_the_written_decimal(value, expected):
    assert round(97.125, 2) == 97.12  # why: the float 97.125 is 97.12499999…
    assert fmt.round_half_up(value) == expected


def test_the_index_and_the_report_round_97_125_alike():
    assert fmt.score(97.125) == "97.13"
    assert fmt.score(fmt.round_half_up(97.125)) == "97.13"
    assert f"{fmt.round_half_up(97.125):.2f}" == "97.13"


@pytest.mark.parametrize("value, expected", [(9.6, "9.60"), (14.25, "14.25"), (100, "100.00"), (0, "0.00"),
                                             (4.826, "4.83"), (89.999999999, "90.00")])
def test_scores_have_two_decimals(value, expected):
    assert fmt.score(value) == expected


def test_a_score_can_be_trimmed_for_a_rule_text():
    assert fmt.score(0.5, trim=True) == "0.5" and fmt.score(10, trim=True) == "10"


@pytest.mark.parametrize("value, expected", [(0.174, "17.40%"), (0.2088, "20.88%"), (1.0, "100.00%"), (0, "0.00%"),
                                             (0.12345, "12.35%"), (0.96, "96.00%"), (None, "—")])
def test_rates_have_two_decimals_and_consistent_trailing_zeros(value, expected):
    assert fmt.percent(value) == expected


def test_a_threshold_can_be_trimmed():
    assert fmt.percent(0.9, trim=True) == "90%" and fmt.percent(0.8, 0) == "80%"


@pytest.mark.parametrize("yuan, expected", [(86200, "8.62万元"), (Decimal("300000"), "30.00万元"), (12_345_678, "1,234.57万元"),
                                            (125, "0.01万元"), (0, "0.00万元")])
def test_amounts_in_wan_with_two_decimals(yuan, expected):
    assert fmt.wan(yuan) == expected
    assert fmt.wan(yuan, unit=False) == expected.removesuffix("万元")


def test_yuan():
    assert fmt.yuan(12000) == "12,000元" and fmt.yuan(Decimal("1234.5")) == "1,234.50元"


def test_a_cells_wan_keeps_the_cents_and_its_format_shows_two_decimals():
    assert fmt.wan_number(Decimal(86200)) == 8.62 and fmt.wan_number(86215) == 8.6215
    assert fmt.wan_number(0.1) == 0.00001  # read as written, not as the float's binary
    assert (fmt.XLSX_AMOUNT, fmt.XLSX_RATE, fmt.XLSX_SCORE) == ("#,##0.00", "0.00%", "0.00")

