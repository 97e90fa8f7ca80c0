"""dipole-portal-book helpers: the tested physics behind the book.

Modules, named after the physics they hold (one line each):

* :mod:`helpers.sm` -- Standard-Model inputs with sources (PDG 2022): the one home of SM numbers.
* :mod:`helpers.paper` -- every input the paper states and every result it quotes, with where it is printed.
* :mod:`helpers.couplings` -- d_gamma, d_Z, d_W from d_calW, d_B (derived); Table I; a = d_calW/d_B; the singular point.
* :mod:`helpers.kinematics` -- E_N and |p_N| in e+e- -> N nu-bar at fixed sqrt(s).
* :mod:`helpers.decays` -- widths (derived by explicit spin sums), three-body decays, Br(N -> nu gamma), decay length.
* :mod:`helpers.production` -- e+e- -> N nu-bar: derived angular distributions, cross sections, N polarisation.
* :mod:`helpers.selection` -- photon selections (:class:`~helpers.selection.PhotonCuts`), shared by signal and background.
* :mod:`helpers.qmc` -- replicated scrambled Sobol points for the Monte Carlo integrations, with their error.
* :mod:`helpers.signal` -- from produced N to a detected photon: photon events, acceptance, signal cross section.
* :mod:`helpers.background` -- the e+e- -> nu nu-bar gamma background from helicity amplitudes.
* :mod:`helpers.experiments` -- the LEP measurements as records (one per analysis, with its reference).
* :mod:`helpers.colliders` -- future colliders' run plans as records (CEPC as in the paper, FCC-ee, ILC, CLIC).
* :mod:`helpers.beams` -- longitudinally polarised beams: the weights of the four beam-helicity combinations.
* :mod:`helpers.projection` -- a running mode turned into a selection, a background and a projected bound (S^2/B or
  expected CLs).
* :mod:`helpers.statistics` -- expected CLs upper limits with systematics (pyhf), and the paper's S^2/B rule.
* :mod:`helpers.reach` -- the reach of every mode and collider, the polarisation gain, the left-right asymmetry.
* :mod:`helpers.atlas` -- the best bound over the (m_N, a) plane, vectorised.
* :mod:`helpers.limits` -- the limit solver: excluded ranges of d_gamma for a record, a model and m_N.
* :mod:`helpers.curves` -- limit curves computed, cached, written to and read from ``data/limits``.
* :mod:`helpers.publish` -- the exported formats: refined grids with provenance, HNLimits ``.dat`` files, HEPData.
* :mod:`helpers.landscape` -- the external constraints of Fig. 8, digitised data with units converted once.
* :mod:`helpers.summary` -- Section VI computed: our curves compared with the landscape.
* :mod:`helpers.reading` -- a reading of the paper: every choice behind a bound in one frozen record.
* :mod:`helpers.scorecard` -- every number the paper quotes, computed for a reading; scores and the reading finder.
* :mod:`helpers.figures` -- figures drawn in more than one place (Fig. 8, the headline figure).
* :mod:`helpers.tables` -- result tables for the book, numbers formatted once.
* :mod:`helpers.style` -- the shared plotting style.
* :mod:`helpers.dirac` -- explicit Dirac matrices, spinors and the one propagator convention.
* :mod:`helpers.amplitudes` -- numerical amplitudes, spin by spin: the independent checks of the derived formulas.
* :mod:`helpers.validation` -- the input checks shared by all modules (bad input raises ValueError saying what is allowed).
* :mod:`helpers.symcache` -- the disk cache of derivations and arrays, keyed by inputs and code.
* ``python -m helpers`` (:mod:`helpers.__main__`) -- the command line: curve, combined, scan-a, atlas, export
  (CSV, HNLimits, HEPData).

A "model" argument is a scenario name of Table I ('I', 'II', 'III', 'IV') or a number
(or array) a = d_calW/d_B; a = +-inf is scenario II.  Units: GeV, GeV^-1, pb, metres.
"""

from . import couplings, decays, kinematics, sm  # noqa: F401

__version__ = "0.1.0"
