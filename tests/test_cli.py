"""The `twin` command: JSON output, the table, and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest

from twin.cli import main


def test_quantizers_json_has_the_records(capsys, tmp_path):
    rc = main(["quantizers", "--bits", "1-3", "--samples", "8192", "--json",
               "--out", str(tmp_path)])
    assert rc == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["bits"]) for r in records] == [
        ("lloyd_max", 1), ("lloyd_max", 2), ("lloyd_max", 3),
        ("uniform", 1), ("uniform", 2), ("uniform", 3)]
    for key in ("beta_measured", "alpha_measured", "beta_aqnm", "beta_stderr", "beta_exact"):
        assert all(isinstance(r[key], float) for r in records)
    assert records[1]["beta_aqnm"] == 0.1175  # Table I, 2 bits
    assert (tmp_path / "quantizers.png").stat().st_size > 10_000
    assert json.loads((tmp_path / "quantizers.json").read_text()) == records


def test_quantizers_table_prints_findings(capsys, tmp_path):
    assert main(["quantizers", "--bits", "1,6", "--samples", "4096", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for part in ("beta AQNM", "Lloyd-Max vs Table I", "plot:"):
        assert part in out


def test_validate_accepts_the_shipped_scenarios(capsys):
    assert main(["validate", "scenarios/noma_uplink.toml", "scenarios/full_duplex.toml"]) == 0
    assert capsys.readouterr().out.count(": ok") == 2


def _run(*args):
    return subprocess.run([sys.executable, "-m", "twin", *args], capture_output=True, text=True,
                          check=False)


def test_broken_scenario_exits_two_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "t"\nsystem = "noma_uplink"\n[noma_uplink]\nnum_users = -3\n')
    result = _run("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"twin: error: {bad}: noma_uplink.num_users: must be >= 1, got -3"]
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["quantizers", "--bits", "0-3"], ["quantizers", "--bits", "17"],
                                  ["quantizers", "--kinds", "sigma"]])
def test_bad_flags_exit_two(args):
    result = _run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_run_without_a_scenario_uses_the_embedded_default(capsys, tmp_path):
    trace = tmp_path / "default.h5"
    assert main(["run", "--slots", "3", "--seed", "4", "--out", str(trace)]) == 0
    out = capsys.readouterr().out
    assert "run default" in out
    assert "3 slots of 1 ms" in out
    assert trace.stat().st_size > 0


def test_reproduce_rejects_an_unknown_target(capsys):
    # The one-line error of every user mistake, exit status 2 (cli.EXIT_USAGE).
    assert main(["reproduce", "no-such-figure"]) == 2
    assert "unknown target 'no-such-figure'" in capsys.readouterr().err
