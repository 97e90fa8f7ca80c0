r"""The reach of every running mode and collider: bounds with the paper's S^2/B rule or with expected CLs limits,
the best bound and where it is reached, the gain from polarised beams, and what polarisation measures.

Everything here is built on :mod:`helpers.projection` (the selection, the backgrounds, the CLs likelihood) and
:mod:`helpers.curves` (the cached S^2/B curves); the chapter "Every proposed e+e- collider" shows it.
"""

from __future__ import annotations

import numpy as np

from . import beams as _beams
from . import colliders as _col
from . import curves as _K
from . import limits as _L
from . import projection as _pj
from .symcache import cached_arrays

STATISTICS = ("s2b", "cls")  #: the paper's S^2/B = 2.71, or the median expected CLs limit (pyhf)
#: the mass grid of the CLs curves (coarser than the book's S^2/B grid: one pyhf limit per mass for polarised plans)
CLS_MASSES = np.geomspace(0.1, 360.0, 48)


def curve(mode, scenario, flavour: str = "e", *, statistic: str = "s2b", bkg_uncertainty: float = 0.0,
          lumi_uncertainty: float = 0.0, n_bins: int = 1):
    """(m_N, d_low, d_high) of one running mode: ``statistic='s2b'`` is the book's curve (:func:`helpers.curves.
    curve_vs_mass`, no systematics); ``'cls'`` the expected CLs limit with the given systematics and energy bins."""
    m = _col.get(mode)
    if statistic not in STATISTICS:
        raise ValueError(f"unknown statistic {statistic!r}; allowed: {', '.join(STATISTICS)}")
    if statistic == "s2b":
        if bkg_uncertainty or lumi_uncertainty or n_bins != 1:
            raise ValueError("the S^2/B rule has no systematics and one bin: use statistic='cls' for those")
        return _K.curve_vs_mass(m.key, scenario, flavour)
    masses = CLS_MASSES[CLS_MASSES < m.sqrt_s]
    return _pj.cls_curve(m.key, scenario, flavour, masses, bkg_uncertainty=bkg_uncertainty,
                         lumi_uncertainty=lumi_uncertainty, n_bins=n_bins)


def collider_curve(collider: str, scenario, flavour: str = "e", **kw):
    """(m_N, d_low) of a collider: at each mass the smallest lower edge over its running modes (on the S^2/B grid, or
    on :data:`CLS_MASSES` for CLs; a mode beyond its reach contributes nothing)."""
    modes = _col.modes(collider)
    grid = _K.MASS_GRID if kw.get("statistic", "s2b") == "s2b" else CLS_MASSES
    low = np.full(len(grid), np.nan)
    for key in modes:
        m, lo, _ = curve(key, scenario, flavour, **kw)
        lo_full = np.interp(np.log(grid), np.log(m), lo, left=np.nan, right=np.nan)
        lo_full[grid >= _col.get(key).sqrt_s] = np.nan
        low = np.fmin(low, lo_full)
    return grid, low


def best(what: str, scenario, flavour: str = "e", **kw) -> tuple[float, float]:
    """(smallest d_gamma excluded [GeV^-1], the mass where [GeV]) of a running mode (its key) or a collider (its
    name), for a statistic and systematics (see :func:`curve`)."""
    if what in _col.COLLIDERS:
        m, lo = collider_curve(what, scenario, flavour, **kw)
    else:
        m, lo, _ = curve(what, scenario, flavour, **kw)
    if not np.any(np.isfinite(lo)):
        return float("nan"), float("nan")
    i = int(np.nanargmin(lo))
    return float(lo[i]), float(m[i])


def unpolarised_equivalent(mode):
    """The projection of a mode with the same luminosity and unpolarised beams (to show what polarisation gains)."""
    m = _col.get(mode)
    return _pj.experiment(m).with_(configurations=None, background=_pj.background_after(m)[0])


def polarisation_gain(mode, scenario, flavour: str = "e", masses=None) -> tuple[np.ndarray, np.ndarray]:
    """(m_N, ratio): the S^2/B bound of the polarised run plan divided by that of unpolarised beams with the same
    luminosity (< 1: polarisation helps), at each mass; cached on disk."""
    m = _col.get(mode)
    masses = _K.MASS_GRID[_K.MASS_GRID < m.sqrt_s] if masses is None else np.asarray(masses, dtype=float)

    def build():
        pol = _L.limit_band(_pj.experiment(m), masses, scenario, flavour=flavour)[0]
        unpol = _L.limit_band(unpolarised_equivalent(m), masses, scenario, flavour=flavour)[0]
        return {"ratio": pol / unpol}

    key = ("gain", _K._stable(_pj.experiment(m)), _K._stable(scenario), flavour, _K._stable(masses))
    return masses, cached_arrays("reach.polarisation_gain", key, build)["ratio"]


def events(mode, m_N: float, d_gamma: float, model, flavour: str = "e") -> dict:
    """Expected signal and background events after the selection, per beam configuration of a mode's run plan:
    {'beams': [(P-, P+), ...], 'signal': array, 'background': array}."""
    m = _col.get(mode)
    exp = _pj.experiment(m)
    base = exp.with_(configurations=None)
    sig, bkg, bms = [], [], []
    for pm, pp, share in m.polarisations:
        lum = share * m.luminosity_pb
        rate = _L.signal_rate(base, np.array([float(m_N)]), float(d_gamma), model, flavour=flavour, beams=(pm, pp))
        sig.append(lum * float(np.ravel(rate)[0]))
        bkg.append(lum * _pj.background_after(m, polarisation=(pm, pp))[0])
        bms.append((pm, pp))
    return {"beams": bms, "signal": np.array(sig), "background": np.array(bkg)}


def left_right_asymmetry(mode, m_N: float, model, flavour: str = "e") -> np.ndarray:
    """A_LR = (sigma_LR - sigma_RL) / (sigma_LR + sigma_RL) of the signal after the selection, for fully polarised
    beams (e-_L e+_R against e-_R e+_L); ``model`` may be an array of a.  Independent of d_gamma where N decays
    inside the detector (the d_gamma dependence of the rate is the same for both)."""
    m = _col.get(mode)
    base = _pj.experiment(m).with_(configurations=None)
    aa = np.atleast_1d(np.asarray(model, dtype=float)) if not isinstance(model, str) else model
    mm = np.full(np.shape(aa), float(m_N)) if not isinstance(aa, str) else np.array([float(m_N)])

    def build():
        lr = _L.rate_coefficients(base, mm, aa, flavour=flavour, beams=(-1.0, 1.0)).C
        rl = _L.rate_coefficients(base, mm, aa, flavour=flavour, beams=(1.0, -1.0)).C
        return {"A": (lr - rl) / (lr + rl)}

    key = ("A_LR", _K._stable(base), float(m_N), _K._stable(aa), flavour)
    return cached_arrays("reach.left_right_asymmetry", key, build)["A"]


def asymmetry_resolution(mode, m_N: float, d_gamma: float, model, flavour: str = "e") -> tuple[float, float]:
    """(A_LR measured, its statistical error) from the two main beam configurations of a polarised run plan, at a
    signal point: the beam-polarisation-corrected asymmetry A = (N_- - N_+) / (N_- + N_+) / P_eff of the
    background-subtracted signal counts N_-+ (configurations with P(e-) < 0 and > 0, the like-sign ones added to
    them), with P_eff = (P- - P+)/(1 - P- P+) of the leading configuration, and Poisson errors on signal plus
    background."""
    ev = events(mode, m_N, d_gamma, model, flavour)
    minus = np.array([b[0] < 0 for b in ev["beams"]])
    if minus.all() or not minus.any():
        raise ValueError(f"{_col.get(mode).key} has no run with each sign of P(e-): no asymmetry to measure")
    s_m, s_p = ev["signal"][minus].sum(), ev["signal"][~minus].sum()
    n_m, n_p = s_m + ev["background"][minus].sum(), s_p + ev["background"][~minus].sum()
    pm, pp = ev["beams"][int(np.argmax(minus))]
    p_eff = (pp - pm) / (1 - pm * pp)  # effective polarisation of the (P-, P+) < 0 configuration, as a positive number
    a_raw = (s_m - s_p) / (s_m + s_p)
    err = 2 * np.sqrt(s_p**2 * n_m + s_m**2 * n_p) / (s_m + s_p) ** 2
    return float(a_raw / p_eff), float(err / p_eff)


def weights_of(mode) -> list[dict]:
    """The helicity fractions of each beam configuration of a mode (:func:`helpers.beams.weights`)."""
    return [_beams.weights(pm, pp) for pm, pp, _ in _col.get(mode).polarisations]


# --- realism: effects the paper leaves out ---------------------------------------------------------------------------

REALISM = ("photon resolution", "isr", "beam energy spread")  #: the effects :func:`realism_curve` can switch on


def realism_experiment(mode, effect: str):
    """The projection of a mode with one effect switched on: ``'photon resolution'``, the photon energy of signal and
    background measured with the resolution of the machine's reference ECAL (:attr:`RunningMode.photon_resolution`)
    before every cut."""
    from .selection import EnergyResolution

    m = _col.get(mode)
    if effect is None or effect in ("isr", "beam energy spread"):  # these change the rates, not the record
        return _pj.experiment(m)
    if effect not in REALISM:
        raise ValueError(f"unknown effect {effect!r}; allowed: None, {', '.join(REALISM)}")
    return _pj.experiment(m, resolution=EnergyResolution(*m.photon_resolution))


def realism_curve(mode, effect: str, scenario, flavour: str = "e"):
    """(m_N, d_low, d_high) of a mode with an effect switched on (:func:`realism_experiment`; None: the nominal
    projection, for a comparison on the same grid), S^2/B, on :data:`CLS_MASSES`; cached on disk."""
    m = _col.get(mode)
    exp = realism_experiment(m, effect)
    masses = CLS_MASSES[CLS_MASSES < m.sqrt_s]

    def build():
        if effect in ("isr", "beam energy spread"):
            low, high = _L.band(convolved_coefficients(m, effect, masses, scenario, flavour=flavour))
        else:
            low, high = _L.limit_band(exp, masses, scenario, flavour=flavour)
        return {"low": np.asarray(low, dtype=float), "high": np.asarray(high, dtype=float)}

    key = ("realism", str(effect), _K._stable(exp), _K._stable(scenario), flavour, _K._stable(masses))
    data = cached_arrays("reach.realism_curve", key, build)
    return masses, data["low"], data["high"]


def energy_nodes(mode, effect: str) -> list[tuple[float, float, float]]:
    """(weight, sqrt(s'), beta_z) of the annihilations that an effect spreads the nominal collisions over:

    * ``'isr'``: the radiator quadrature of :mod:`helpers.isr` up to x_max = 1 - (2 p_T,min / sqrt(s))^2 (no photon
      above the p_T cut beyond), the system boosted by x/(2 - x) along the beam;
    * ``'beam energy spread'``: Gauss-Hermite nodes of a Gaussian sqrt(s) with sigma = sqrt(s) delta / sqrt(2) for a
      relative spread delta per beam (:attr:`RunningMode.beam_energy_spread`); the small boost of unequal beam
      energies (of order delta) is neglected.
    """
    from . import isr as _isr

    m = _col.get(mode)
    if effect == "isr":
        x, w = _isr.nodes(m.sqrt_s, n_soft=10, n_hard=6, x_max=1 - (2 * m.pt_min / m.sqrt_s) ** 2)
        return [(float(wk), float(m.sqrt_s * np.sqrt(1 - xk)), float(_isr.boost_velocity(xk))) for xk, wk in zip(x, w)]
    if effect == "beam energy spread":
        if not m.beam_energy_spread:
            raise ValueError(f"{m.key} has no beam energy spread in its record")
        z, w = np.polynomial.hermite_e.hermegauss(9)
        sigma = m.sqrt_s * m.beam_energy_spread / np.sqrt(2)
        return [(float(wk / np.sqrt(2 * np.pi)), float(m.sqrt_s + sigma * zk), 0.0) for zk, wk in zip(z, w)]
    raise ValueError(f"unknown effect {effect!r}; allowed: isr, beam energy spread")


def convolved_background(mode, effect: str, polarisation: tuple[float, float] = (0.0, 0.0), n: int = 8 * 512) -> float:
    """Background after all cuts [pb] with an effect of :func:`energy_nodes`: the nu nu-bar gamma events generated at
    each sqrt(s') (photons above the p_T cut only, in the annihilation frame), the laboratory selection applied to the
    boosted photon, weighted; cached on disk."""
    from . import background as _bkg
    from . import isr as _isr

    m = _col.get(mode)

    def build():
        total = 0.0
        for w, rs, bz in energy_nodes(m, effect):
            if rs / 2 <= m.pt_min:
                continue
            c_max = float(np.sqrt(1 - (m.pt_min / (rs / 2)) ** 2))
            ev = _bkg.generate(rs, (m.pt_min, rs / 2), (-c_max, c_max), n=n, polarisation=tuple(polarisation))
            sel = _isr.BoostedCuts(lab=_pj.cuts(m), beta_z=bz, sqrt_s_lab=m.sqrt_s)
            total += w * float(np.sum(ev.weight * sel.passes(ev.E, ev.cos, ev.pt, rs)))
        return {"sigma": np.array([total])}

    key = ("convolved background", effect, _K._stable(m), tuple(float(p) for p in polarisation), int(n))
    return float(cached_arrays("reach.convolved_background", key, build)["sigma"][0])


def convolved_coefficients(mode, effect: str, m_N, model, *, flavour: str = "e"):
    """The S^2/B rate coefficients of a mode with an effect of :func:`energy_nodes`: signal rate C = sum_k w_k C(s'_k)
    with the laboratory selection on the boosted photon, the decay factor with kappa_eff = sum_k w_k C_k kappa_k / C
    (exact for prompt and for long-lived N), and the background of :func:`convolved_background`; a polarised run plan
    combines its configurations as independent data sets."""
    from . import isr as _isr

    m = _col.get(mode)
    exp = _pj.experiment(m)
    masses = np.atleast_1d(np.asarray(m_N, dtype=float))
    configs = exp.configurations or ((0.0, 0.0, exp.luminosity, exp.background),)
    base = exp.with_(configurations=None)
    nodes = [(w, rs, bz) for w, rs, bz in energy_nodes(m, effect) if rs / 2 > m.pt_min]
    C_sum, Ck_sum, b_ref, region, per_config = 0.0, 0.0, 0.0, "inside", []
    for pm, pp, lum, _ in configs:
        C_i, Ck_i = np.zeros_like(masses), np.zeros_like(masses)
        for w, rs, bz in nodes:
            e_k = base.with_(sqrt_s=rs, cuts=_isr.BoostedCuts(lab=exp.cuts, beta_z=bz, sqrt_s_lab=m.sqrt_s))
            rc = _L.rate_coefficients(e_k, masses, model, flavour=flavour, beams=(pm, pp))
            C_i += w * rc.C
            Ck_i += w * rc.C * np.where(rc.C > 0, rc.kappa, 0.0)
            region = rc.region
        b_i = convolved_background(m, effect, (pm, pp))
        per_config.append((lum, b_i, C_i))
        b_ref += lum * b_i / exp.luminosity
        C_sum, Ck_sum = C_sum + C_i, Ck_sum + Ck_i
    C = _L.combine_configurations([c for _, _, c in per_config], [lum for lum, _, _ in per_config],
                                  [b for _, b, _ in per_config], exp.luminosity, b_ref)
    kappa = np.where(C_sum > 0, Ck_sum / np.where(C_sum > 0, C_sum, 1.0), 0.0)
    bound = float(np.sqrt(exp.s2b_crit * b_ref / exp.luminosity))
    return _L.RateCoefficients(C=C, kappa=kappa, region=region, bound=bound)
