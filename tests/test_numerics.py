"""The model's outputs do not depend on the processor's last bits (model/base/numerics.py).

numpy's exp, log, log1p and power give, on processors with AVX-512, results
that differ in the last bit from the C library's. The golden files must hold
on every machine, so the figures the model reports may not depend on them.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from golden_runs import outputs, read

from model.base import numerics

ROOT = Path(__file__).resolve().parent.parent


def test_functions_agree_with_the_c_library():
    x = np.array([[0.0, 1e-12, 0.3], [2.5, 17.0, 700.0]])
    assert numerics.exp(x).tolist() == [[math.exp(v) for v in row] for row in x.tolist()]
    assert numerics.log1p(x).tolist() == [[math.log1p(v) for v in row] for row in x.tolist()]
    assert numerics.log(x + 1).tolist() == [[math.log(v + 1) for v in row] for row in x.tolist()]
    assert numerics.power(x, 1 / 12).tolist() == [
        [math.pow(v, 1 / 12) for v in row] for row in x.tolist()
    ]
    assert numerics.power(0.9, np.arange(3)).tolist() == [1.0, 0.9, math.pow(0.9, 2)]
    assert numerics.exp(1.0) == math.e
    assert isinstance(numerics.exp(np.float64(1.0)), float)
    assert numerics.exp(np.zeros((0, 3))).shape == (0, 3)


def _nudged(ufunc):
    """A stand-in for a numpy function whose float results are one bit larger, as another
    processor's might be."""

    def nudged(*args, **kwargs):
        out = ufunc(*args, **kwargs)
        if np.issubdtype(np.asarray(out).dtype, np.floating):
            return np.nextafter(out, np.inf)
        return out

    return nudged


@pytest.mark.slow
def test_outputs_do_not_change_when_numpy_functions_differ_in_the_last_bit(monkeypatch):
    for name in ("exp", "log", "log1p", "expm1", "power"):
        monkeypatch.setattr(np, name, _nudged(getattr(np, name)))
    scenario, seed = "cabinet-package", 2
    for name, data in outputs(scenario, seed).items():
        assert data == read(scenario, seed, name), f"{name} depends on numpy's last bits"


def test_model_code_does_not_use_blas_or_the_power_operator():
    """Matrix products (BLAS: summation order by processor) and ``**`` (numpy's power on
    arrays) stay out of the model: ``np.sum`` of products, ``math.pow`` for numbers and
    ``numerics.power`` for arrays serve instead."""
    blas = {"dot", "matmul", "inner", "vdot", "tensordot", "einsum"}
    offending = []
    for path in sorted([*(ROOT / "model").rglob("*.py"), *(ROOT / "agents").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            power = isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(
                node.op, ast.Pow | ast.MatMult
            )
            call = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in blas
            )
            if power or call:
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offending, offending
