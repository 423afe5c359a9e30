import numpy as np
import pytest

from twin.units import amplitude_db_to_lin, db_to_lin, dbm_to_w, lin_to_db, w_to_dbm


def test_reference_points():
    # Definitions: 30 dBm = 1 W, 0 dBm = 1 mW, 10 dB = x10, 6.0206 dB amplitude = x2.
    assert dbm_to_w(30.0) == pytest.approx(1.0)
    assert dbm_to_w(-104.0) == pytest.approx(3.981e-14, rel=1e-3)
    assert w_to_dbm(1e-3) == pytest.approx(0.0)
    assert db_to_lin(10.0) == pytest.approx(10.0)
    assert amplitude_db_to_lin(20 * np.log10(2)) == pytest.approx(2.0)


def test_round_trips():
    x = np.array([-120.0, -3.0, 0.0, 47.0])
    np.testing.assert_allclose(w_to_dbm(dbm_to_w(x)), x, rtol=1e-12)
    np.testing.assert_allclose(lin_to_db(db_to_lin(x)), x, rtol=1e-12)
    assert lin_to_db(0.0) == -np.inf
