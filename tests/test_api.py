"""One API style across the physics modules (issue 12): the same names, the same order, options by keyword.

The rule (also on the conventions page): positional arguments are the point in phase space and the couplings,
in the order ``exp, sqrt_s, m_N, cos_theta, d_gamma, d_Z, d_W, model``; everything else (``flavour``,
``charge``, cuts, lengths, energies and every option of a reading) is keyword-only, so that a swapped or
misspelt option is an error, never a silent change.
"""

import inspect

import numpy as np
import pytest

from helpers import couplings as C
from helpers import decays as D
from helpers import kinematics as K
from helpers import limits as L
from helpers import production as P
from helpers import signal as S
from helpers.experiments import get as experiment

ORDER = ["exp", "sqrt_s", "m_N", "cos_theta", "d_gamma", "d_Z", "d_W", "model"]
#: positional arguments that are not in ORDER, allowed only where they are the physics of the function
EXTRA_POSITIONAL = {
    ("decays", "width_offshell"): ["boson"],
    ("decays", "width_offshell_single_channel"): ["t3", "q_f", "m_f"],
}
RETIRED = {"mN", "sqrt_s_value", "d_gamma_value", "d_Z_value", "d_W_value"}

MODULES = {"decays": D, "production": P, "signal": S, "limits": L, "kinematics": K}
NUMERIC = {
    "decays": ["width_nu_gamma", "width_nu_Z", "width_l_W", "width_Z_to_N_nu", "width_offshell",
               "width_offshell_single_channel", "partial_widths", "total_width", "br_nu_gamma", "decay_length"],
    "production": ["dsigma_dcos", "sigma", "polarisation", "sigma_explicit"],
    "signal": ["photon_energy_endpoints", "photon_events", "acceptance", "decay_inside_probability",
               "signal_cross_section"],
    "limits": ["rate_coefficients", "limit_band", "signal_rate", "acceptance_for"],
    "kinematics": ["energy_N", "momentum_N"],
}
CASES = [(m, f) for m, fs in NUMERIC.items() for f in fs]


@pytest.mark.parametrize("module, name", CASES)
def test_positional_arguments_follow_the_one_order(module, name):
    sig = inspect.signature(getattr(MODULES[module], name))
    positional = [p.name for p in sig.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    extra = EXTRA_POSITIONAL.get((module, name), [])
    core = [p for p in positional if p not in extra]
    assert all(p in ORDER for p in core), f"{module}.{name}{sig}: positional {core} outside {ORDER}"
    assert core == sorted(core, key=ORDER.index), f"{module}.{name}{sig}: not in the order {ORDER}"
    assert not RETIRED & set(sig.parameters), f"{module}.{name}{sig}: retired argument names"


@pytest.mark.parametrize("module, name", CASES)
def test_options_are_keyword_only(module, name):
    sig = inspect.signature(getattr(MODULES[module], name))
    for p in sig.parameters.values():
        if p.name in ("flavour", "charge", "convention", "three_body", "photon_model", "pieces", "cuts", "length",
                      "E_N", "n", "seed", "acc", "double_br", "require_decay_inside", "efficiency",
                      "sin2w", "alpha", "beams"):
            assert p.kind is p.KEYWORD_ONLY, f"{module}.{name}: {p.name} must be keyword-only"


def test_couplings_takes_d_gamma_then_model():
    params = inspect.signature(C.couplings).parameters
    assert list(params) == ["d_gamma", "model", "sin2w"] and params["sin2w"].kind is inspect.Parameter.KEYWORD_ONLY


def test_sigma_and_sigma_explicit_count_the_same_charge_states_by_default():
    """Both default to N + N-bar; with the scenario's couplings they are the same number."""
    rs, m, dg, a = 200.0, 50.0, 1e-6, 1.0
    _, dz, dw = C.couplings(dg, a)
    total = P.sigma(rs, m, dg, a)
    explicit = sum(P.sigma_explicit(rs, m, dg, float(dz), float(dw)).values())
    one = sum(P.sigma_explicit(rs, m, dg, float(dz), float(dw), charge="N").values())
    assert explicit == pytest.approx(total, rel=1e-12)
    assert one == pytest.approx(total / 2, rel=1e-12)


def test_the_old_order_of_total_width_is_an_error_not_a_silent_swap():
    """total_width(m_N, model, d_gamma) was the old order: the scenario name in the d_gamma slot is refused."""
    with pytest.raises(ValueError, match="d_gamma"):
        D.total_width(50.0, "II", 1e-6)


def test_a_misspelt_option_is_an_error():
    with pytest.raises(TypeError):
        L.limit_band(experiment("lep1_opal"), 10.0, "II", flavor="e")
    with pytest.raises(TypeError):
        P.sigma(200.0, 50.0, 1e-6, "II", "e")  # flavour must be named


def test_decay_length_needs_the_energy_by_name():
    m, dg = 10.0, 1e-6
    E = K.energy_N(91.1876, m)
    length = D.decay_length(m, dg, "II", E_N=E)
    assert np.isfinite(length) and length > 0
    with pytest.raises(TypeError):
        D.decay_length(m, dg, E, "II")
