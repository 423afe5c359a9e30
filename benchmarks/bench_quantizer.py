"""Throughput of the bit-true uniform quantizer against a plain numpy copy, side by side.

2^24 complex64 samples, 4 bits, I and Q, codes and reconstruction. Each candidate runs in turn,
repeatedly and interleaved, and the medians are compared, so machine load affects both alike.
The last line reads ``ratio_vs_copy: <number>`` (target: >= 0.5).

    python benchmarks/bench_quantizer.py [--samples-log2 24] [--repeats 15]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from twin.quant import UniformQuantizer


def naive_numpy(x: np.ndarray, q: UniformQuantizer):
    """The same quantizer as separate numpy ufuncs, for reference."""
    u = x.view(np.float32)
    lo, hi = q.code_range
    codes = np.clip(np.floor(u / np.float32(q.step)), lo, hi).astype(np.int8)
    values = ((codes + np.float32(0.5)) * np.float32(q.step)).astype(np.float32)
    return codes, values.view(np.complex64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples-log2", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n = 1 << args.samples_log2
    x = (rng.standard_normal(n, dtype=np.float32)
         + 1j * rng.standard_normal(n, dtype=np.float32)).astype(np.complex64)[None, :]
    q = UniformQuantizer(4, full_scale=2.0)
    q.quantize(x[:, :64])  # compile (or load the compiled kernel from cache) outside the timing

    ref = naive_numpy(x, q)
    out = q.quantize(x)
    assert np.array_equal(out.codes.reshape(-1), ref[0].reshape(-1)), "kernel != numpy reference"

    candidates = {"numpy copy": lambda: x.copy(), "twin uniform 4 bit": lambda: q.quantize(x),
                  "naive numpy ufuncs": lambda: naive_numpy(x, q)}
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for _ in range(args.repeats):
        for name, fn in candidates.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: float(np.median(v)) for k, v in times.items()}
    print(f"{n} complex64 samples ({x.nbytes / 2**20:.0f} MiB), median of {args.repeats}")
    print(f"{'candidate':<22}{'median ms':>11}{'Msamples/s':>12}{'vs copy':>9}")
    for name, t in med.items():
        print(f"{name:<22}{1e3 * t:>11.1f}{n / t / 1e6:>12.0f}{med['numpy copy'] / t:>9.2f}")
    print(f"ratio_vs_copy: {med['numpy copy'] / med['twin uniform 4 bit']:.3f}")


if __name__ == "__main__":
    main()
