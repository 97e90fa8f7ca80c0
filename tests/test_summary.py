"""Section VI comparisons: the small functions behind the summary chapter."""

import numpy as np

from helpers import summary as SU


def test_crossover_mass():
    m = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    ours = np.array([5.0, 4.0, 2.0, 1.0, 1.0])
    theirs = np.array([3.0, 3.0, 3.0, 3.0, np.nan])  # no external bound at the last mass
    assert SU.crossover_mass(m, ours, theirs) == 3.0
    assert np.isnan(SU.crossover_mass(m, np.full(5, 9.0), np.full(5, 1.0)))


def test_first_mass_with():
    m = np.arange(5.0)
    assert SU.first_mass_with(m, [False, True, False, True, True]) == 3.0
    assert np.isnan(SU.first_mass_with(m, [True, True, True, True, False]))
    assert SU.first_mass_with(m, [True] * 5) == 0.0


def test_new_space_against_the_landscape():
    # a huge excluded band far above everything is never new where upper-type bounds exist...
    m = np.array([1.0, 50.0])
    high = np.array([np.inf, np.inf])
    assert not SU.probes_new_space(m, np.array([5e-2, 5e-2]), high, "mu")[0]  # NOMAD/LEP region covered
    # ...and a reach far below every external bound always is
    assert np.all(SU.probes_new_space(m, np.array([1e-9, 1e-9]), high, "mu"))
