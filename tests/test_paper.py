"""The paper's numbers in helpers.paper are transcribed correctly: each one is found in the paper's text."""

import math
from pathlib import Path

import pytest

from helpers import paper

TEXT_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "paper" / "zhang-liu-2023.txt"

# numbers that the paper states in words or as a derived quantity, not as digits
IN_WORDS = {"lep1_over_lep2", "cepc_z_vs_lep1", "z_mode_gain_e", "z_mode_gain_mu", "cepc_over_lep_II",
            "delphi_e_max_at_a", "delphi_new_mu_III", "z_inv_limit_GeV", "lep_detector_length"}


def _forms(x: float) -> list[str]:
    """The ways the paper prints a number: 0.15, 23, 2.0 \\times 10^{-5}, 3.2×10^{-6}."""
    if x == 0:
        return ["0"]
    e = math.floor(math.log10(abs(x)))
    out = [f"{x:g}", f"{x:.1f}", f"{x:.2f}", f"{x:.3f}"]
    if abs(e) >= 3:
        m = x / 10**e
        for mant in (f"{m:.1f}", f"{m:g}"):
            out += [f"{mant} \\times 10^{{{e}}}", f"{mant}\\times 10^{{{e}}}", f"{mant}×10^{{{e}}}"]
    return out


@pytest.mark.skipif(not TEXT_PATH.exists(), reason="the paper's text (../shared/paper) is not beside the project")
@pytest.mark.parametrize("key", sorted(set(paper.ALL) - IN_WORDS))
def test_every_quoted_number_is_in_the_paper(key):
    text = TEXT_PATH.read_text()
    q = paper.get(key)
    values = q.value if isinstance(q.value, tuple) else (q.value,)
    for v in values:
        assert any(f in text for f in _forms(abs(v))), f"{key}: {v} not found in the paper's text"


def test_unknown_key_raises():
    with pytest.raises(ValueError, match="allowed"):
        paper.get("opal_range")
