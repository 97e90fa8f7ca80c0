"""dipole-portal-book helpers: the tested physics behind the book.

Modules, named after the physics they hold:

* :mod:`helpers.sm` -- Standard-Model inputs with sources (PDG 2022).
* :mod:`helpers.couplings` -- d_gamma, d_Z, d_W from d_calW, d_B; Table I; a = d_calW/d_B.
* :mod:`helpers.decays` -- widths (derived by explicit spin sums), three-body decays,
  Br(N -> nu gamma), decay length.
* :mod:`helpers.kinematics` -- simple e+e- -> N nu kinematics.
* :mod:`helpers.dirac`, :mod:`helpers.amplitudes` -- explicit Dirac matrices, spinors and
  numerical amplitudes used as independent checks.
* :mod:`helpers.style` -- the shared plotting style.

A "model" argument is a scenario name of Table I ('I', 'II', 'III', 'IV') or a number
(or array) a = d_calW/d_B; a = +-inf is scenario II.  Units: GeV, GeV^-1, pb, metres.
"""

from . import couplings, decays, kinematics, sm  # noqa: F401

__version__ = "0.1.0"
