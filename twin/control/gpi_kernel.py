"""Compiled arithmetic of seed 004's GPI (Algorithm 1) on the Rayleigh forms of
:class:`twin.control.gpi.RayleighTerms`.

NOTE: written as loops for numba. At N_t = 16, K_D = K_U = 4 one GPI update is ~15k complex
multiply-adds, a few microseconds; the same update as numpy calls is ~20 calls of ~3-5 us of
dispatch each, and Algorithm 2 makes ~50 updates (``benchmarks/bench_gpi.py``).

Arguments, as in ``RayleighTerms``: ``quad`` [J, N_t, N_t] complex128 with ``J = K_D + K_U``
(``M_k`` (43), then ``N_k`` (52)), ``const`` [J] float64 ((42), then (56)), ``gain`` [N_t, K_D]
complex128 (``Phi_aDAC h_D,k``), ``ul_desired`` [K_U] float64; ``w`` [N_t, K_D] complex128.
"""

from __future__ import annotations

import numba
import numpy as np

from twin.control.qmmse import cholesky, cholesky_solve, qmmse_kernel


@numba.njit(cache=True, nogil=True)
def uplink_terms(g_si, h_u, combiner, alpha_dac, alpha_adc, kappa_d, pd_over_pu, noise_over_pu,
                 quad, const, ul_desired):  # pragma: no cover - compiled
    """The UL users' forms for the combiner ``F`` (seed 004 eqs. (47)-(56)), written in place.

    ``g_si`` [N_r, N_t], ``h_u`` [N_r, K_U], ``combiner`` [N_r, K_U] complex128; ``quad``
    [K_U, N_t, N_t] gets ``N_k`` (52) in ``w``: ``P_D/P_U (Psi_QN,k + kappa_d Psi_SI,k)`` with
    ``Psi_SI,k = Phi u u^H Phi + Phi_a Phi_b diag|u|^2``, ``u = G^H Phi_aADC f_k`` (48), and
    ``Psi_QN,k = Phi G^H diag(d_k) G Phi + Phi_a Phi_b diag(G^H diag(d_k) G)``, ``d_k =
    Phi_aADC Phi_bADC |f_k|^2`` (50); ``const`` [K_U] gets ``phi_k`` (56) over ``P_U``;
    ``ul_desired`` [K_U] gets ``|f_k^H Phi_aADC h_U,k|^2``.
    """
    num_r, num_t = g_si.shape
    num_u = combiner.shape[1]
    ga = np.empty((num_r, num_t), dtype=np.complex128)             # G Phi_a
    for r in range(num_r):
        for n in range(num_t):
            ga[r, n] = g_si[r, n] * alpha_dac[n]
    qn = np.empty((num_t, num_t), dtype=np.complex128)             # Phi G^H diag(d_k) G Phi
    u = np.empty(num_t, dtype=np.complex128)
    d = np.empty(num_r)
    for k in range(num_u):
        for r in range(num_r):
            d[r] = alpha_adc[r] * (1 - alpha_adc[r]) * (combiner[r, k].real ** 2
                                                        + combiner[r, k].imag ** 2)
        for n in range(num_t):
            acc = 0j
            for r in range(num_r):
                acc += g_si[r, n].conjugate() * alpha_adc[r] * combiner[r, k]
            u[n] = acc
        qn[:] = 0
        for r in range(num_r):                # lower triangle; Hermitian
            for n in range(num_t):
                c = ga[r, n].conjugate() * d[r]
                for m in range(n + 1):
                    qn[n, m] += c * ga[r, m]
        for n in range(num_t):
            au_n = alpha_dac[n] * u[n]
            for m in range(n + 1):
                quad[k, n, m] = pd_over_pu * (qn[n, m] + kappa_d * au_n
                                              * (alpha_dac[m] * u[m]).conjugate())
                quad[k, m, n] = quad[k, n, m].conjugate()
            diag = kappa_d * (u[n].real ** 2 + u[n].imag ** 2)
            for r in range(num_r):
                diag += (g_si[r, n].real ** 2 + g_si[r, n].imag ** 2) * d[r]
            quad[k, n, n] += pd_over_pu * alpha_dac[n] * (1 - alpha_dac[n]) * diag
        # seed 004 eq. (56): phi_k = sum_l |f^H Phi h_l|^2 + sum_l h_l^H diag(d_k) h_l
        #                           + sigma^2/P_U f^H Phi_aADC f
        phi = 0.0
        for j in range(h_u.shape[1]):
            acc = 0j
            for r in range(num_r):
                acc += (alpha_adc[r] * combiner[r, k]).conjugate() * h_u[r, j]
                phi += d[r] * (h_u[r, j].real ** 2 + h_u[r, j].imag ** 2)
            power = acc.real ** 2 + acc.imag ** 2
            phi += power
            if j == k:
                ul_desired[k] = power
        for r in range(num_r):
            phi += noise_over_pu * alpha_adc[r] * (combiner[r, k].real ** 2
                                                   + combiner[r, k].imag ** 2)
        const[k] = phi


@numba.njit(cache=True, nogil=True)
def rayleigh_forms(quad, const, gain, ul_desired, w, num, den):  # pragma: no cover - compiled
    """Seed 004 eqs. (45)-(46), (54)-(55): ``num_j = w_bar^H A_j w_bar``, ``den_j = w_bar^H B_j
    w_bar`` (``C_j``, ``D_j`` for UL users), written into ``num`` and ``den`` [J]; returns the
    sum SE (57) ``sum_j log2(num_j / den_j)``, bits/s/Hz."""
    num_j, num_t, _ = quad.shape
    k_d = w.shape[1]
    energy = 0.0
    for n in range(num_t):
        for i in range(k_d):
            energy += w[n, i].real ** 2 + w[n, i].imag ** 2
    # sum_i w_i^H Q w_i = sum_nm Q_nm (W W^H)_mn = sum_nm Q_nm s_nm, s = conj(W) W^T; Q and s
    # are Hermitian, so the lower triangle counts twice
    s = np.empty((num_t, num_t), dtype=np.complex128)
    for n in range(num_t):
        for m in range(n + 1):
            acc = 0j
            for i in range(k_d):
                acc += w[n, i].conjugate() * w[m, i]
            s[n, m] = acc
    for j in range(num_j):
        acc_r = 0.0
        for n in range(num_t):
            row = 0.0
            for m in range(n):
                row += (quad[j, n, m] * s[n, m]).real
            acc_r += 2 * row + (quad[j, n, n] * s[n, n]).real
        num[j] = acc_r + const[j] * energy
    for j in range(k_d):
        g = 0j
        for n in range(num_t):
            g += gain[n, j].conjugate() * w[n, j]
        den[j] = num[j] - (g.real ** 2 + g.imag ** 2)
    for j in range(k_d, num_j):
        den[j] = num[j] - ul_desired[j - k_d] * energy
    sum_se = 0.0
    for j in range(num_j):
        sum_se += np.log2(num[j] / den[j])
    return sum_se


@numba.njit(cache=True, nogil=True)
def kkt_blocks(quad, const, gain, ul_desired, num, den, a_block,
               b_blocks):  # pragma: no cover - compiled
    """Seed 004 eqs. (60)-(61) with ``lambda_num = lambda``, ``lambda_den = 1``, block by block:
    ``a_block`` [N_t, N_t] is the block of ``sum_j A_j / num_j`` (every block is the same),
    ``b_blocks`` [K_D, N_t, N_t] the blocks of ``sum_j B_j / den_j``; both written in place."""
    num_j, num_t, _ = quad.shape
    k_d = gain.shape[1]
    a_block[:] = 0
    common = np.zeros((num_t, num_t), dtype=np.complex128)
    shift_a = 0.0
    shift_b = 0.0
    for j in range(num_j):
        wa = 1.0 / num[j]
        wb = 1.0 / den[j]
        for n in range(num_t):                # lower triangles; mirrored below
            for m in range(n + 1):
                a_block[n, m] += wa * quad[j, n, m]
                common[n, m] += wb * quad[j, n, m]
        shift_a += wa * const[j]
        shift_b += wb * const[j]
    # D_k = C_k - |f_k^H Phi h_U,k|^2 I (55)
    for j in range(k_d, num_j):
        shift_b -= ul_desired[j - k_d] / den[j]
    for n in range(num_t):
        a_block[n, n] += shift_a
        common[n, n] += shift_b
        for m in range(n):
            a_block[m, n] = a_block[n, m].conjugate()
            common[m, n] = common[n, m].conjugate()
    # B_k lacks user k's desired term (46): block k of B_KKT is common less it
    for i in range(k_d):
        wb = 1.0 / den[i]
        for n in range(num_t):
            for m in range(num_t):
                b_blocks[i, n, m] = common[n, m] - wb * gain[n, i] * gain[m, i].conjugate()


@numba.njit(cache=True, nogil=True)
def power_iteration(quad, const, gain, ul_desired, w0, epsilon,
                    max_iter):  # pragma: no cover - compiled
    """Seed 004 Algorithm 1, lines 3-8, from the unit-norm ``w0`` [N_t, K_D].

    ``w_bar <- B_KKT^{-1} A_KKT w_bar / ||.||`` until ``||w_bar^(n) - w_bar^(n-1)|| < epsilon``
    or ``max_iter`` updates. ``lambda`` scales ``A_KKT`` only and the normalization removes it,
    so it is left out. ``B_KKT^{-1}`` is applied block by block (§IV-D): one ``N_t x N_t`` solve
    per DL user, ``O(K_D N_t^3)``.

    Returns ``(w, updates, sum_se)``: the last iterate, the number of updates made, and the sum
    SE (57) ``sum_j log2(num_j / den_j)`` [updates + 1] at the start and after each update.
    """
    num_j, num_t, _ = quad.shape
    k_d = w0.shape[1]
    w = w0.copy()
    num = np.empty(num_j)
    den = np.empty(num_j)
    a_block = np.empty((num_t, num_t), dtype=np.complex128)
    b_blocks = np.empty((k_d, num_t, num_t), dtype=np.complex128)
    w_new = np.empty_like(w)
    zero = np.zeros_like(w)
    col = np.empty(num_t, dtype=np.complex128)
    history = np.empty(max_iter + 1)
    history[0] = rayleigh_forms(quad, const, gain, ul_desired, w, num, den)
    n = 0
    while n < max_iter:
        kkt_blocks(quad, const, gain, ul_desired, num, den, a_block, b_blocks)
        for i in range(k_d):
            # A_KKT w_bar, block i; B_KKT's blocks are positive definite: positive sums of
            # PSD matrices (46), (55) plus a positive multiple of I
            for n_ in range(num_t):
                acc = 0j
                for m in range(num_t):
                    acc += a_block[n_, m] * w[m, i]
                col[n_] = acc
            cholesky_solve(cholesky(b_blocks[i]), col)
            for n_ in range(num_t):
                w_new[n_, i] = col[n_]
        norm = _distance(w_new, zero)
        if not np.isfinite(norm) or norm == 0:
            raise ValueError("GPI update is not finite or zero")
        for n_ in range(num_t):
            for i in range(k_d):
                w_new[n_, i] /= norm
        step = _distance(w_new, w)
        w[:] = w_new
        n += 1
        history[n] = rayleigh_forms(quad, const, gain, ul_desired, w, num, den)
        if step < epsilon:
            break
    return w, n, history[:n + 1].copy()


@numba.njit(cache=True, nogil=True)
def alternation(dl_quad, dl_const, gain, g_si, h_u, alpha_dac, alpha_adc, p_d_w, p_u_w,
                noise_w, kappa_d, w0, epsilon, n_max, t_max):  # pragma: no cover - compiled
    """Seed 004 Algorithm 2 from the unit-norm ``w0`` [N_t, K_D]: see
    :func:`twin.control.gpi.alternate`, which calls this with the DL half of the forms
    (``dl_quad`` [K_D, N_t, N_t] ``M_k`` (43), ``dl_const`` [K_D] (42), ``gain``).

    Returns ``(W, F, rounds, updates, sum_se)``: ``sum_se`` [rounds + 1] at the start and after
    each round (GPI then qMMSE).
    """
    k_d, num_t, _ = dl_quad.shape
    k_u = h_u.shape[1]
    quad = np.empty((k_d + k_u, num_t, num_t), dtype=np.complex128)
    quad[:k_d] = dl_quad
    const = np.empty(k_d + k_u)
    const[:k_d] = dl_const
    ul_desired = np.empty(k_u)
    num = np.empty(k_d + k_u)
    den = np.empty(k_d + k_u)
    history = np.empty(t_max + 1)
    w = w0.copy()
    f = qmmse_kernel(g_si, h_u, w, alpha_dac, alpha_adc, p_d_w, p_u_w, noise_w, kappa_d)
    uplink_terms(g_si, h_u, f, alpha_dac, alpha_adc, kappa_d, p_d_w / p_u_w, noise_w / p_u_w,
                 quad[k_d:], const[k_d:], ul_desired)
    history[0] = rayleigh_forms(quad, const, gain, ul_desired, w, num, den)
    rounds = updates = 0
    while rounds < t_max:
        w_new, n, _ = power_iteration(quad, const, gain, ul_desired, w, epsilon, n_max)
        f_new = qmmse_kernel(g_si, h_u, w_new, alpha_dac, alpha_adc, p_d_w, p_u_w, noise_w,
                             kappa_d)
        step_w = _distance(w_new, w)
        step_f = _distance(f_new, f) / np.sqrt(k_u)              # unit-norm columns
        w, f, rounds, updates = w_new, f_new, rounds + 1, updates + n
        # the next round's forms score this round's end: (W, F) after qMMSE
        uplink_terms(g_si, h_u, f, alpha_dac, alpha_adc, kappa_d, p_d_w / p_u_w,
                     noise_w / p_u_w, quad[k_d:], const[k_d:], ul_desired)
        history[rounds] = rayleigh_forms(quad, const, gain, ul_desired, w, num, den)
        if step_w < epsilon and step_f < epsilon:
            break
    return w, f, rounds, updates, history[:rounds + 1].copy()


@numba.njit(cache=True, nogil=True)
def _distance(x, y):  # pragma: no cover - compiled
    """Frobenius ``||x - y||`` of two [n, k] arrays."""
    acc = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            z = x[i, j] - y[i, j]
            acc += z.real ** 2 + z.imag ** 2
    return np.sqrt(acc)
