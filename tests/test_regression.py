"""Regression numbers: values pinned from earlier runs of this code, not physics.

They catch an unintended change of a result (a refactoring must leave them alone); they do not say the value is
right -- the physics tests in the other files do that, against hand calculations, limits and published numbers.
If a pinned value changes on purpose, re-pin it here and say why in the commit.

Provenance: unless noted, each value was printed by helpers at commit 5a79ae0 ("colliders: the paper's CEPC numbers
come from helpers.paper") and reproduced unchanged after the input-validation refactoring of issue 12 (parts 4-5).
The tolerance rel = 1e-9 allows for the last-digit differences between SymPy derivations in different processes
(term order follows the hash seed) and nothing else.
"""

import numpy as np
import pytest

from helpers import couplings as C
from helpers import decays as D
from helpers import experiments as X
from helpers import landscape as LS
from helpers import limits as L
from helpers import production as P
from helpers import signal as S
from helpers import sm

REL = 1e-9


def test_branching_ratios():
    assert float(D.br_nu_gamma(100.0, "II")) == pytest.approx(0.3807767394155867, rel=REL)
    assert float(D.br_nu_gamma(60.0, "IV", flavour="tau", three_body="offshell")) == pytest.approx(0.9987741035091154, rel=REL)


def test_cross_section_and_three_body_width():
    assert float(P.sigma(205.4, 100.0, 1e-5, "II", flavour="e")) == pytest.approx(0.0019982929984276544, rel=REL)  # pb
    assert float(D.width_offshell(50.0, "Z")) == pytest.approx(1.022834988392586, rel=REL)  # GeV at d_Z = 1 GeV^-1


def test_opal_acceptance_with_the_default_seed():
    acc = S.acceptance(sm.M_Z, 10.0, "I", cuts=X.get("lep1_opal").cuts)
    assert float(acc.value) == pytest.approx(0.22218371797005104, rel=REL)


def test_lep_bounds_at_reference_masses():
    """Lower (and for Z-invisible upper) edges in GeV^-1."""
    assert float(L.limit_band(X.get("lep1_opal"), 10.0, "II", flavour="e")[0][0]) == pytest.approx(1.7261902226266238e-05, rel=REL)
    assert float(L.limit_band(X.get("lep2_delphi"), 100.0, "IV", flavour="e")[0][0]) == pytest.approx(0.00019175177038224805,
                                                                                             rel=REL)
    assert float(L.limit_band(X.get("l3_zgamma"), 10.0, "I", flavour="tau")[0][0]) == pytest.approx(3.8304690968129926e-05,
                                                                                           rel=REL)
    lo, hi = L.limit_band(X.get("z_invisible"), 0.02, "II", flavour="e")
    assert (float(lo[0]), float(hi[0])) == pytest.approx((0.00012071094138792627, 0.0019945886745194263), rel=REL)


def test_bounds_at_the_singular_point():
    """Pinned when the value at a = -2 cot(theta_w) was made the limit a -> -2 cot(theta_w) (issue 12, part 4);
    before, the float nearest the pole gave the same numbers through d_Z/d_gamma ~ 1e16."""
    assert float(L.limit_band(X.get("lep1_opal"), 10.0, C.A_POLE, flavour="e")[0][0]) == pytest.approx(2.0343535744499782e-08,
                                                                                              rel=REL)
    assert float(L.limit_band(X.get("l3_zgamma"), 10.0, C.A_POLE, flavour="e")[0][0]) == pytest.approx(1.2959442610601847e-08,
                                                                                              rel=REL)


def test_bohr_magneton_in_inverse_GeV():
    """Pinned when landscape took alpha(0) and m_e from helpers.sm (CODATA 2018 / PDG 2022) instead of
    scipy.constants (CODATA 2022 in scipy 1.17: 296.30405342, 1.7e-9 lower); printed as 296.30 in the summary."""
    assert LS.MU_B_GEVINV == pytest.approx(296.3040539239392, rel=1e-12)
    assert np.isfinite(LS.mu_B_to_d(3.9e-7))
