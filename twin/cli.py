"""The ``twin`` command: the only place that parses argv, prints or exits.

A user's mistake (a bad scenario value, a missing file, a bad flag) prints one line to stderr and
exits with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from twin import __version__
from twin.config import TwinConfigError, load_scenario

EXIT_USAGE = 2


def _bits_list(text: str) -> list[int]:
    """``"1-12"`` or ``"1,2,8"`` -> list of ints."""
    out: list[int] = []
    try:
        for part in text.split(","):
            lo, _, hi = part.partition("-")
            out.extend(range(int(lo), int(hi or lo) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected bits like 1-12 or 1,4,8, got {text!r}") from None
    if not out or min(out) < 1 or max(out) > 16:
        raise argparse.ArgumentTypeError(f"bits must lie in 1..16, got {text!r}")
    return sorted(set(out))


def _kinds_list(text: str) -> list[str]:
    from twin.quant.compare import KINDS

    kinds = [k.strip() for k in text.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise argparse.ArgumentTypeError(f"kinds must be among {', '.join(KINDS)}, got {text!r}")
    return kinds


def _int_at_least(lowest: int, what: str):
    """An argparse ``type`` accepting integers >= ``lowest``, with a one-line error."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = lowest - 1
        if value < lowest:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value
    return parse


_positive_int = _int_at_least(1, "a positive integer")
_non_negative_int = _int_at_least(0, "a non-negative integer")


def _hidden_sizes(text: str) -> tuple[int, int]:
    """``"2048,1024"`` -> (2048, 1024): the two hidden layers of actor and critic."""
    try:
        sizes = tuple(int(x) for x in text.split(","))
    except ValueError:
        sizes = ()
    if len(sizes) != 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected two positive sizes like 2048,1024, "
                                         f"got {text!r}")
    return sizes  # type: ignore[return-value]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twin", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"twin {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    q = sub.add_parser("quantizers", help="bit-true converters vs the AQNM beta table",
                       description="Measure beta and alpha of bit-true quantizers on complex "
                                   "Gaussian input, beside the AQNM (seed 000 Table I).")
    q.add_argument("--bits", type=_bits_list, default=_bits_list("1-12"),
                   help="resolutions, e.g. 1-12 or 1,4,8 (default 1-12)")
    q.add_argument("--kinds", type=_kinds_list, default=["lloyd_max", "uniform"],
                   help="comma-separated: lloyd_max, uniform (default both)")
    q.add_argument("--mode", choices=("mid_riser", "mid_tread"), default="mid_riser",
                   help="uniform quantizer mode (default mid_riser)")
    q.add_argument("--samples", type=_positive_int, default=1 << 20,
                   help="complex Gaussian samples per quantizer (default 1048576)")
    q.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    q.add_argument("--out", type=Path, default=Path("runs/quantizers"),
                   help="folder for quantizers.png and quantizers.json (default runs/quantizers)")
    q.add_argument("--json", action="store_true", help="print the records as JSON on stdout")
    q.add_argument("--rebuild-tables", action="store_true",
                   help="redesign the Lloyd-Max tables instead of reading data/lloyd_max/")
    q.set_defaults(func=cmd_quantizers)

    r = sub.add_parser("run", help="simulate a scenario and write its trace",
                       description="Run a scenario slot by slot; write runs/<name>/trace.h5 "
                                   "and print the summary.")
    r.add_argument("scenario", nargs="?", type=Path, metavar="SCENARIO",
                   help="scenario TOML (default: an embedded scenario that runs in seconds)")
    r.add_argument("--slots", type=_positive_int, help="number of slots (overrides [run])")
    r.add_argument("--seed", type=_non_negative_int, help="seed (overrides [run])")
    r.add_argument("--out", type=Path, help="trace path (default runs/<name>/trace.h5)")
    r.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    r.set_defaults(func=cmd_run)

    p = sub.add_parser("replay", help="summary and plots of a recorded trace",
                       description="Summarize a trace, draw its plots; --reprocess re-decodes "
                                   "the recorded ADC codes through the digital back end.")
    p.add_argument("trace", type=Path, metavar="TRACE")
    p.add_argument("--plots", type=Path, help="folder for the figures (default: beside TRACE)")
    p.add_argument("--reprocess", action="store_true",
                   help="re-run detector and SIC on the recorded ADC codes alone")
    p.add_argument("--combiner", default="recorded", choices=("recorded", "mrc", "mmse"),
                   help="back end for --reprocess (default: the recorded detector)")
    p.set_defaults(func=cmd_replay)

    a = sub.add_parser("analyze", help="closed-form design analyses, checked bit-true")
    asub = a.add_subparsers(dest="analysis", required=True, metavar="ANALYSIS")
    fd = asub.add_parser("fd-bits", help="minimum ADC bits of a full-duplex AP (seed 004 Sec. III)",
                         description="Proposition 1 (19), its approximation (23), eta_ADC (15), "
                                     "Delta (16)-(18), DR (24), Proposition 2 (28), and a "
                                     "bit-true ADC sweep of the same FD SISO setting.")
    fd.add_argument("--pd-dbm", type=float, default=24.0, help="AP transmit power P_D (dBm)")
    fd.add_argument("--pu-dbm", type=float, default=23.0, help="UL transmit power P_U (dBm)")
    fd.add_argument("--kappa-a-db", type=float, default=-60.0, help="analog SIC kappa_a (dB)")
    fd.add_argument("--rho-u-db", type=float, default=-90.0, help="UL path gain rho_U (dB)")
    fd.add_argument("--noise-dbm", type=float, default=None,
                    help="UL noise power (dBm); default: ignored, as in the paper's example")
    fd.add_argument("--bits", type=_bits_list, default=_bits_list("4-12"),
                    help="ADC resolutions of the table and sweep (default 4-12)")
    fd.add_argument("--quantizer", choices=("uniform", "lloyd_max"), default="uniform",
                    help="bit-true ADC quantizer (default uniform)")
    fd.add_argument("--samples", type=_positive_int, default=1 << 16,
                    help="samples per bit-true measurement (default 65536)")
    fd.add_argument("--seed", type=_non_negative_int, default=0)
    fd.add_argument("--json", action="store_true", help="print the results as JSON")
    fd.set_defaults(func=cmd_analyze_fd_bits)

    rp = sub.add_parser("reproduce", help="reproduce a paper figure (CSV and PNG)",
                        description="Evaluate one paper figure, by the AQNM formulas and "
                                    "bit-true through the engine's chain; write "
                                    "<target>.csv and <target>.png.")
    rp.add_argument("target", nargs="?", metavar="TARGET",
                    help="figure to reproduce; omit it (or pass --list) to list the targets")
    rp.add_argument("--list", action="store_true", help="list the targets and exit")
    rp.add_argument("--drops", type=_positive_int,
                    help="channel drops per point (default: the target's, small enough for a test)")
    rp.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    rp.add_argument("--out", type=Path, default=Path("runs/reproduce"),
                    help="output folder (default runs/reproduce)")
    rp.set_defaults(func=cmd_reproduce)

    t = sub.add_parser("train", help="train the P-DDPG agent of seed 000 on a scenario",
                       description="Train P-DDPG (seed 000 Algorithm 1) on a noma_uplink "
                                   "scenario; write curves.csv/curves.png (Fig. 4 panels), "
                                   "checkpoint.pt and actor.pt.")
    t.add_argument("scenario", type=Path, metavar="SCENARIO")
    t.add_argument("--episodes", type=_positive_int, default=50, help="episodes E (default 50)")
    t.add_argument("--steps", type=_positive_int, default=200,
                   help="steps per episode T (default 200, Sec. V-B)")
    t.add_argument("--envs", type=_positive_int, default=16,
                   help="environments stepped as one batch (default 16)")
    t.add_argument("--hidden", type=_hidden_sizes, default=(2048, 1024),
                   help="the two hidden layers, e.g. 2048,1024 (default, Sec. V-B)")
    t.add_argument("--batch-size", type=_positive_int, default=16, help="S (default 16)")
    t.add_argument("--gamma", type=float, default=0.99, help="discount (default 0.99)")
    t.add_argument("--tau", type=float, default=0.01, help="soft update (default 0.01)")
    t.add_argument("--lr", type=float, default=1e-3, help="actor and critic rate (default 1e-3)")
    t.add_argument("--actor-lr", type=float, default=None,
                   help="P-DDPG actor rate if it should differ from --lr")
    t.add_argument("--updates-per-step", type=_positive_int, default=1,
                   help="gradient updates per batched env step (default 1)")
    t.add_argument("--ou-sigma", type=float, default=0.2, help="OU noise scale (default 0.2)")
    t.add_argument("--agent", choices=("pddpg", "ppo"), default="pddpg",
                   help="pddpg (default) or PPO with the same post-actor (Fig. 5)")
    t.add_argument("--critic", choices=("learned", "reward"), default="learned",
                   help="learned: P-DDPG; reward: diagnostic actor trained on the exact "
                        "reward gradient (a perfect critic for gamma = 0)")
    t.add_argument("--actor", choices=("mlp", "mmse", "mmse-slnr"), default="mlp",
                   help="mlp: the paper's actor (default); mmse: the MLP sets powers and "
                        "precoders, the detector is the closed-form MMSE-SIC one (README)")
    t.add_argument("--actor-start", type=_non_negative_int, default=0, metavar="UPDATES",
                   help="critic-only updates before the actor's first (default 0)")
    t.add_argument("--critic-input", choices=("action", "powers"), default="action",
                   help="what the critic scores besides the state: the whole action "
                        "(default) or only the power fractions (for --actor mmse-slnr)")
    t.add_argument("--saturation-penalty", type=float, default=0.0, metavar="LAMBDA",
                   help="actor loss + LAMBDA * sum of squared pre-tanh outputs, so no output "
                        "saturates for good (default 0: the paper's loss)")
    t.add_argument("--checkpoint-every", type=_positive_int, default=10,
                   help="episodes between checkpoints (default 10)")
    t.add_argument("--resume", type=Path, metavar="CKPT", help="continue from a checkpoint.pt")
    t.add_argument("--threads", type=_positive_int, default=2,
                   help="torch CPU threads (default 2)")
    t.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    t.add_argument("--out", type=Path, help="output folder (default runs/train/<name>)")
    t.set_defaults(func=cmd_train)

    v = sub.add_parser("validate", help="check scenario files and print what they set")
    v.add_argument("scenarios", nargs="+", type=Path, metavar="SCENARIO")
    v.set_defaults(func=cmd_validate)
    return parser


def cmd_quantizers(args: argparse.Namespace) -> int:
    from twin.plots.quantizers import plot_quantizer_comparison
    from twin.quant.compare import compare_quantizers, summarize
    from twin.quant.lloyd_max import lloyd_max_table
    from twin.rng import stream

    if "lloyd_max" in args.kinds:
        for b in args.bits:
            lloyd_max_table(b, rebuild=args.rebuild_tables)
    steps = len(args.bits) * len(args.kinds)
    with tqdm(total=steps, desc="quantizers", unit="run", disable=None, file=sys.stderr) as bar:
        rows = compare_quantizers(args.bits, args.kinds, args.samples,
                                  stream(args.seed, "quantizers"), mode=args.mode,
                                  on_step=lambda kind, b: bar.update())
    args.out.mkdir(parents=True, exist_ok=True)
    records = [r.as_dict() for r in rows]
    (args.out / "quantizers.json").write_text(json.dumps(records, indent=1) + "\n")
    png = plot_quantizer_comparison(rows, args.out / "quantizers.png")
    if args.json:
        print(json.dumps(records, indent=1))
        print(f"plot: {png}", file=sys.stderr)
        return 0
    print(format_quantizer_table(rows))
    print()
    for line in summarize(rows):
        print(line)
    print(f"\nplot: {png}\nrecords: {args.out / 'quantizers.json'}")
    return 0


def format_quantizer_table(rows) -> str:
    head = (f"{'kind':<10}{'bits':>5}{'beta measured':>24}{'beta AQNM':>12}{'rel err':>10}"
            f"{'beta exact':>12}{'alpha meas.':>13}{'1-beta meas.':>14}{'clip %':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.kind:<10}{r.bits:>5}{r.beta_measured:>14.5g} ± {r.beta_stderr:<7.1g}"
            f"{r.beta_aqnm:>12.5g}{100 * r.beta_rel_error:>9.2f}%{r.beta_exact:>12.5g}"
            f"{r.alpha_measured:>13.6f}{1 - r.beta_measured:>14.6f}{100 * r.clip_rate:>9.3f}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from twin.config import parse_scenario
    from twin.default_scenario import DEFAULT_SCENARIO_TOML
    from twin.engine import run, with_overrides

    if args.scenario is None:
        text, source = DEFAULT_SCENARIO_TOML, "<embedded default>"
    else:
        try:
            text, source = args.scenario.read_text(encoding="utf-8"), str(args.scenario)
        except OSError as exc:
            raise TwinConfigError(str(args.scenario), "", f"cannot read the file "
                                  f"({exc.strerror})") from None
    scenario = with_overrides(parse_scenario(text, source), num_slots=args.slots, seed=args.seed)
    out = args.out or Path("runs") / scenario.name / "trace.h5"
    if out.exists() and args.out is not None and not args.force:
        raise ValueError(f"{out} exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tqdm(total=scenario.run.num_slots, desc=scenario.name, unit="slot", disable=None,
              file=sys.stderr) as bar:
        run(scenario, text, out, overwrite=True, on_slot=lambda slot: bar.update())
    print(_summary_text(out))
    print(f"\ntrace: {out}\nreplay: twin replay {out}")
    return 0


def _summary_text(trace: Path) -> str:
    from twin.replay.summary import format_summary, summarize_slots
    from twin.trace.reader import TraceReader

    with TraceReader(trace) as reader:
        return format_summary(summarize_slots(reader.slots(), reader.attrs))


def cmd_replay(args: argparse.Namespace) -> int:
    import numpy as np

    from twin.plots.replay import plot_replay
    from twin.replay.reprocess import constellation as replay_constellation
    from twin.replay.reprocess import reprocess
    from twin.replay.summary import format_summary, summarize_slots
    from twin.trace.reader import TraceReader

    with TraceReader(args.trace) as reader:
        slots, attrs = reader.slots(), reader.attrs
        if not reader.complete:
            print(f"note: {args.trace} is incomplete (the run stopped early); "
                  f"showing its {reader.num_slots} recorded slots", file=sys.stderr)
        print(format_summary(summarize_slots(slots, attrs)))
        constellation = replay_constellation(reader)
        if args.reprocess:
            rep = reprocess(reader, args.combiner)
            gap = rep.rate_reprocessed - rep.rate_recorded
            print(f"\nreprocessed {rep.slots.size} recorded slots from ADC codes "
                  f"(combiner: {args.combiner})")
            print(f"{'user':>6}{'measured in run':>18}{'from codes':>14}{'max |diff|':>12}")
            for j, u in enumerate(rep.user_index):
                print(f"{u:>6}{rep.rate_recorded[:, j].mean():>18.4f}"
                      f"{rep.rate_reprocessed[:, j].mean():>14.4f}"
                      f"{np.max(np.abs(gap[:, j])):>12.2e}")
    out_dir = args.plots or args.trace.parent
    for path in plot_replay(slots, attrs, out_dir, constellation=constellation):
        print(f"plot: {path}")
    return 0


def cmd_analyze_fd_bits(args: argparse.Namespace) -> int:
    from twin.analysis.fd_bits import FDSetting, analyze
    from twin.rng import stream

    setting = FDSetting.from_db(args.pd_dbm, args.pu_dbm, args.kappa_a_db, args.rho_u_db,
                                args.noise_dbm)
    result = analyze(setting, args.bits, stream(args.seed, "fd-bits"),
                     num_samples=args.samples, kind=args.quantizer)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"FD SISO: P_D = {args.pd_dbm:g} dBm, P_U = {args.pu_dbm:g} dBm, "
          f"kappa_a = {args.kappa_a_db:g} dB, rho_U = {args.rho_u_db:g} dB -> UL "
          f"{result['ul_rx_dbm']:.1f} dBm under {result['si_rx_dbm']:.1f} dBm of residual SI")
    print(f"Proposition 1, eq. (19): b_ADC > {result['min_adc_bits']:.2f}   "
          f"approximation (23): {result['min_adc_bits_approx']:.2f}   "
          f"Proposition 2, eq. (28): {result['dynamic_range_bound_bits']:.4f}")
    measured = result["measured_min_adc_bits"]
    print(f"bit-true {result['quantizer']} ADC: the UL signal rises above the measured noise "
          f"floor from {measured if measured is not None else 'none of these'} bits\n")
    print(f"{'bits':>4}{'eta_ADC dBm':>13}{'Delta dB':>10}{'DR dB':>8}{'UL margin dB':>14}"
          f"{'eta meas. dBm':>15}{'margin meas. dB':>17}")
    for r in result["rows"]:
        print(f"{r['bits']:>4}{r['eta_adc_dbm']:>13.2f}{r['delta_q_db']:>10.2f}"
              f"{r['dynamic_range_db']:>8.2f}{r['ul_margin_db']:>14.2f}"
              f"{r['eta_adc_measured_dbm']:>15.2f}{r['ul_margin_measured_db']:>17.2f}")
    print("\nAnalytic columns use beta = (pi sqrt3/2) 2^-2b at every b, as Sec. III does; "
          "'UL margin' is P_U rho_U over the noise floor (17), positive when (20) holds.")
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    from twin.reproduce import targets

    table = targets()
    if args.list or args.target is None:
        for t in table.values():
            print(f"{t.name:<12}{t.title}  (default --drops {t.default_drops})")
        return 0
    if args.target not in table:
        raise ValueError(f"unknown target {args.target!r}; choose from "
                         f"{', '.join(table) or '(none registered)'}")
    target = table[args.target]
    drops = args.drops or target.default_drops
    with tqdm(desc=target.name, unit="step", disable=None, file=sys.stderr) as bar:
        result = target.run(drops, args.seed, args.out, bar)
    for line in result.findings:
        print(line)
    print(f"csv: {result.csv_path}\nplot: {result.png_path}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    import torch

    from twin.learn.ddpg import DDPGConfig
    from twin.learn.ppo import PPOConfig
    from twin.learn.train import TrainConfig, train
    from twin.plots.training import plot_training_curves

    scenario = load_scenario(args.scenario)
    if scenario.system != "noma_uplink":
        raise ValueError(f"{args.scenario}: twin train needs system = 'noma_uplink', "
                         f"got {scenario.system!r}")
    if args.resume is not None and not args.resume.is_file():
        raise ValueError(f"--resume {args.resume}: no such checkpoint")
    torch.set_num_threads(args.threads)
    out = args.out or Path("runs") / "train" / scenario.name
    ddpg = DDPGConfig(hidden=args.hidden, lr_actor=args.actor_lr or args.lr, lr_critic=args.lr,
                      gamma=args.gamma, tau=args.tau, batch_size=args.batch_size,
                      ou_sigma=args.ou_sigma, updates_per_step=args.updates_per_step,
                      critic=args.critic, actor=args.actor,
                      saturation_penalty=args.saturation_penalty,
                      critic_input=args.critic_input, actor_start=args.actor_start)
    if args.agent == "ppo":
        if args.actor != "mlp" or args.critic != "learned":
            raise ValueError("--actor and --critic are P-DDPG options; PPO uses the MLP actor")
        ddpg = PPOConfig(hidden=args.hidden, lr=args.lr, gamma=args.gamma)
    cfg = TrainConfig(episodes=args.episodes, steps_per_episode=args.steps, num_envs=args.envs,
                      checkpoint_every=args.checkpoint_every, seed=args.seed)
    with tqdm(total=args.episodes, desc="train", unit="episode", disable=None,
              file=sys.stderr) as bar:
        def show(row):
            bar.n = row.episode
            bar.set_postfix(reward=f"{row.reward:.1f}", EE=f"{row.ee_bits_per_j_hz:.3f}",
                            SE=f"{row.se_bps_hz:.0f}", power=f"{row.power_w:.0f}",
                            eval=f"{row.eval_ee_search:.3f}")
            bar.refresh()
        actor = train(scenario, cfg, ddpg, out, resume=args.resume, on_episode=show)
    png = plot_training_curves(out / "curves.csv", out / "curves.png")
    print(f"actor: {actor}\ncheckpoint: {out / 'checkpoint.pt'}\ncurves: {out / 'curves.csv'}"
          f"\nplot: {png}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    for path in args.scenarios:
        s = load_scenario(path)
        bits = f"DAC {s.dac.bits} bits {s.dac.quantizer}, ADC {s.adc.bits} bits {s.adc.quantizer}"
        print(f"{path}: ok — {s.name}, system {s.system}, {s.run.num_slots} slots of "
              f"{s.run.slot_s:g} s, seed {s.run.seed}; {bits}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (TwinConfigError, ValueError, OSError) as exc:
        print(f"twin: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("twin: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
